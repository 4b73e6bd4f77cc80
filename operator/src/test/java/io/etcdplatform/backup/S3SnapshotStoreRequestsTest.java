package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes over the wire to an S3 server, seen by a recording server on loopback: what MinIO
 * accepts, other S3-compatible servers may refuse.
 */
class S3SnapshotStoreRequestsTest {

  private static final long OBJECT_SIZE = 5L << 30;
  private final List<Headers> partRequests = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startRecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The AWS SDK's default since 2.30 (a CRC32 trailer on every upload) is refused by Ceph RGW, GCS, ... */
  @Test
  void partsAreUploadedWithoutChecksumTrailers() throws Exception {
    byte[] snapshot = snapshotWithIntegrityMark(1024);
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (S3SnapshotStore store = S3SnapshotStore.connect(endpoint, "us-east-1", true, "access", "secret",
        Duration.ofSeconds(10))) {
      var stored = store.upload(new Location("bucket", "c/backup.db"), out -> out.write(snapshot));
      assertThat(stored.size()).isEqualTo(snapshot.length);
    }

    assertThat(partRequests).singleElement().satisfies(headers -> {
      assertThat(headers.getFirst("x-amz-content-sha256")).as("signed chunks or a payload hash, no trailer")
          .doesNotEndWith("-TRAILER");
      assertThat(headers.containsKey("x-amz-trailer")).isFalse();
      assertThat(headers.keySet()).noneMatch(name -> name.toLowerCase().startsWith("x-amz-checksum-")
          || name.equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
    });
  }

  /** A restore checks the claim's space before it downloads anything. */
  @Test
  void theSizeOfAStoredObjectIsAskedWithAHeadRequest() throws Exception {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (S3SnapshotStore store = S3SnapshotStore.connect(endpoint, "us-east-1", true, "access", "secret",
        Duration.ofSeconds(10))) {
      assertThat(store.size(new Location("bucket", "c/backup.db"))).isEqualTo(OBJECT_SIZE);
    }

    assertThat(requests).containsExactly("HEAD /bucket/c/backup.db");
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", String.valueOf(OBJECT_SIZE));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
    exchange.getRequestBody().readAllBytes();
    String body = "";
    if (exchange.getRequestMethod().equals("PUT") && query.contains("partNumber=")) {
      partRequests.add(exchange.getRequestHeaders());
      exchange.getResponseHeaders().add("ETag", "\"part-etag\"");
    } else if (exchange.getRequestMethod().equals("POST") && query.startsWith("uploads")) {
      body = "<InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>c/backup.db</Key>"
          + "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>";
    } else if (exchange.getRequestMethod().equals("POST")) {
      body = "<CompleteMultipartUploadResult><Bucket>bucket</Bucket><Key>c/backup.db</Key>"
          + "<ETag>\"object-etag\"</ETag></CompleteMultipartUploadResult>";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Bytes ending in the sha256 of what precedes them, as etcd ends a snapshot. */
  private static byte[] snapshotWithIntegrityMark(int size) throws Exception {
    byte[] data = new byte[size];
    for (int i = 0; i < size - 32; i++) {
      data[i] = (byte) i;
    }
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(data, 0, size - 32);
    System.arraycopy(sha256.digest(), 0, data, size - 32, 32);
    return data;
  }
}
