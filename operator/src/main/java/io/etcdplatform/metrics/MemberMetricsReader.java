package io.etcdplatform.metrics;

import io.etcdplatform.etcd.ClusterAccess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads a member's /metrics on its metrics URL (plaintext, also on a TLS cluster), within a deadline; one HTTP client for every cluster. */
public final class MemberMetricsReader {

  private final HttpClient http;
  private final Duration deadline;

  public MemberMetricsReader(Duration deadline) {
    this.deadline = deadline;
    this.http = HttpClient.newBuilder().connectTimeout(deadline).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Empty when the member does not answer in time or answers with an error. */
  public Optional<MemberMetrics> read(ClusterAccess access, String member) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(access.metricsUrl(member) + "/metrics")).timeout(deadline)
        .GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(MemberMetrics.parse(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
