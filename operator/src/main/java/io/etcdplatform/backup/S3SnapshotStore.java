package io.etcdplatform.backup;

import io.etcdplatform.kube.BackupKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Snapshots as S3 objects (AWS SDK v2), streamed with constant memory: three part buffers (8 MiB
 * each) however large the snapshot, two uploading while the third fills, as a multipart upload
 * that is completed only when etcd's integrity mark checks out.
 */
public final class S3SnapshotStore implements AutoCloseable {

  static final int PART_BYTES = 8 * 1024 * 1024;
  /** Parts uploading at once: S3 servers take parallel parts faster than one stream. */
  static final int UPLOADS = 2;

  public record Location(String bucket, String key) {
    public String uri() {
      return BackupKeys.s3Uri(bucket, key);
    }
  }

  /** A stored snapshot: where, how large, and the sha256 of the object. */
  public record Stored(Location location, long size, String sha256) {}

  private final S3Client s3;

  private S3SnapshotStore(S3Client s3) {
    this.s3 = s3;
  }

  /**
   * Every call has {@code timeout} as its deadline (a part's upload included). The SDK adds
   * checksums only where an S3 API requires one: its default since 2.30 (a CRC32 trailer on every
   * upload, in aws-chunked encoding) is refused by many S3-compatible servers (Ceph RGW, Google
   * Cloud Storage, older MinIO), and checks nothing the snapshot lacks: its own sha256 and etcd's
   * integrity mark are checked before any restore.
   */
  public static S3SnapshotStore connect(URI endpoint, String region, boolean pathStyle, String accessKeyId,
      String secretAccessKey, Duration timeout) {
    return new S3SnapshotStore(S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .forcePathStyle(pathStyle)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
        .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(4)).apiCallAttemptTimeout(timeout))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build());
  }

  /**
   * Streams what {@code writer} writes into the object. An object whose content fails etcd's
   * integrity check, or whose writing fails, is aborted and never appears.
   */
  public Stored upload(Location location, SnapshotWriter writer) throws IOException {
    String uploadId = s3.createMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())).uploadId();
    MultipartStream stream = new MultipartStream(location, uploadId);
    SnapshotDigests digests = new SnapshotDigests();
    try {
      writer.writeTo(new DigestingStream(stream, digests));
      digests.verifyEtcdIntegrity("the snapshot");
      stream.finish();
      return new Stored(location, digests.size(), digests.sha256());
    } catch (IOException | RuntimeException | Error e) {
      stream.abandon();
      abortQuietly(location, uploadId);
      throw e;
    }
  }

  /**
   * Downloads the object to {@code target}, refusing it (and deleting the file) when its sha256 is
   * not {@code expectedSha256} (when given) or etcd's integrity mark does not match.
   */
  public void download(Location location, String expectedSha256, Path target) throws IOException {
    try {
      SnapshotFiles.copyVerified(s3.getObject(r -> r.bucket(location.bucket()).key(location.key())), location.uri(),
          expectedSha256, target);
    } catch (SdkException e) {
      throw new IOException(location.uri() + ": " + e.getMessage(), e);
    }
  }

  /** The object's size, from a HEAD request: nothing is downloaded. */
  public long size(Location location) throws IOException {
    try {
      return s3.headObject(r -> r.bucket(location.bucket()).key(location.key())).contentLength();
    } catch (SdkException e) {
      throw new IOException(location.uri() + ": " + e.getMessage(), e);
    }
  }

  public void delete(Location location) {
    s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key()));
  }

  /** For tests and tools: the object as stored. */
  public S3Client client() {
    return s3;
  }

  private void abortQuietly(Location location, String uploadId) {
    try {
      s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
    } catch (SdkException e) {
      // the upload stays incomplete and invisible; a bucket lifecycle rule removes it
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * Part buffers: one fills from the snapshot stream while the others upload, so that etcd and
   * the storage work at the same time; when every buffer is taken the stream waits for the oldest
   * upload (the backpressure that keeps memory at {@code UPLOADS + 1} parts).
   */
  private final class MultipartStream extends OutputStream {

    private record Upload(Future<CompletedPart> part, byte[] buffer) {}

    private final Location location;
    private final String uploadId;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private final Deque<Upload> uploading = new ArrayDeque<>();
    private final List<CompletedPart> parts = new ArrayList<>();
    private final ExecutorService uploader = Executors.newFixedThreadPool(UPLOADS, runnable -> {
      Thread thread = new Thread(runnable, "s3-part-upload");
      thread.setDaemon(true);
      return thread;
    });
    private byte[] filling;
    private int filled;
    private int submitted;

    MultipartStream(Location location, String uploadId) {
      this.location = location;
      this.uploadId = uploadId;
      for (int i = 0; i <= UPLOADS; i++) {
        free.push(new byte[PART_BYTES]);
      }
      filling = free.pop();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        int n = Math.min(length, PART_BYTES - filled);
        System.arraycopy(bytes, offset, filling, filled, n);
        filled += n;
        offset += n;
        length -= n;
        if (filled == PART_BYTES) {
          submitPart();
        }
      }
    }

    void finish() throws IOException {
      try {
        if (filled > 0 || submitted == 0) {
          submitPart();
        }
        while (!uploading.isEmpty()) {
          awaitOldest();
        }
        s3.completeMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
            .multipartUpload(u -> u.parts(parts)));
      } catch (SdkException e) {
        throw new IOException(location.uri() + ": completing the upload: " + e.getMessage(), e);
      } finally {
        uploader.shutdownNow();
      }
    }

    /** Stops an upload that failed; close() is left to the snapshot writer and does nothing. */
    void abandon() {
      uploader.shutdownNow();
    }

    /** Uploads the filled buffer in the background and takes a free one, waiting for the oldest upload when none is. */
    private void submitPart() throws IOException {
      int number = ++submitted;
      byte[] part = filling;
      int length = filled;
      uploading.add(new Upload(uploader.submit(() -> {
        String etag = s3.uploadPart(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
            .partNumber(number), RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
            "application/octet-stream")).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
      }), part));
      filled = 0;
      if (free.isEmpty()) {
        awaitOldest();
      }
      filling = free.pop();
    }

    private void awaitOldest() throws IOException {
      Upload oldest = uploading.peek();
      try {
        parts.add(oldest.part().get());
        uploading.poll();
        free.push(oldest.buffer());
      } catch (ExecutionException e) {
        throw new IOException(location.uri() + ": uploading part " + (parts.size() + 1) + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(location.uri() + ": interrupted", e);
      }
    }
  }
}
