package io.etcdplatform.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real MinIO server (built from the Go module proxy) on 127.0.0.1 with its data in a directory,
 * for the backup tests. Stopped by its own pid.
 */
public final class MinioServer implements AutoCloseable {

  public static final String ACCESS_KEY = "etcd-platform-test";
  public static final String SECRET_KEY = "etcd-platform-test-secret";
  public static final String REGION = "us-east-1";

  private final Process process;
  private final URI endpoint;
  private final Path workDir;

  private MinioServer(Process process, URI endpoint, Path workDir) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  public static MinioServer start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, false);
  }

  /**
   * Over https, as real S3 is (the AWS SDK then sends payloads unsigned, as it must sign them over
   * plain http), with a certificate made for the run, which this JVM's default SSL context then
   * trusts (and only it: benchmarks only).
   */
  public static MinioServer startWithTls(Path workDir) throws IOException, InterruptedException {
    return start(workDir, true);
  }

  private static MinioServer start(Path workDir, boolean tls) throws IOException, InterruptedException {
    Directories.deleteRecursively(workDir);
    Files.createDirectories(workDir.resolve("data"));
    int port = Processes.freeLoopbackPort();
    List<String> command = new ArrayList<>(List.of(Binaries.minio().toString(), "server", "--quiet",
        "--address", "127.0.0.1:" + port));
    if (tls) {
      command.addAll(List.of("--certs-dir", LoopbackCertificate.create(workDir.resolve("certs")).toString()));
    }
    command.add(workDir.resolve("data").toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(workDir.resolve("minio.log").toFile());
    builder.environment().put("MINIO_ROOT_USER", ACCESS_KEY);
    builder.environment().put("MINIO_ROOT_PASSWORD", SECRET_KEY);
    builder.environment().put("MINIO_BROWSER", "off");
    builder.environment().put("MINIO_UPDATE", "off");
    builder.environment().put("HOME", workDir.toString());
    MinioServer server = new MinioServer(builder.start(), URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port),
        workDir);
    try {
      server.awaitLive(Duration.ofSeconds(60));
      return server;
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  /** For benchmarks: the server's own CPU time, read from /proc. */
  public long pid() {
    return process.pid();
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * A plain S3 client with the server's root credentials, to look at objects as stored (path
   * style, the JDK's HTTP client, checksums only where an S3 API requires one, as the operator's
   * own store). The caller closes it.
   */
  public S3Client client() {
    Duration timeout = Duration.ofSeconds(30);
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
        .overrideConfiguration(o -> o.apiCallTimeout(timeout.multipliedBy(4)).apiCallAttemptTimeout(timeout))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(bucket));
    }
  }

  private void awaitLive(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("minio exited with " + process.exitValue());
      }
      try {
        HttpRequest live = HttpRequest.newBuilder(endpoint.resolve("/minio/health/live"))
            .timeout(Duration.ofSeconds(2)).GET().build();
        if (http.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("minio not live within " + timeout);
  }

  @Override
  public void close() {
    Processes.stop(process);
    Directories.deleteAllButLogs(workDir);
  }
}
