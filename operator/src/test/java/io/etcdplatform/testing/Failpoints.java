package io.etcdplatform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * gofail's HTTP endpoint on a failpoint-enabled etcd member ({@link EtcdProcessCluster#serveFailpoints}):
 * {@code PUT /<name>} with a term such as {@code 1*sleep(1500)} arms a failpoint, {@code DELETE}
 * disarms it, as etcd's robustness tests drive them.
 */
public final class Failpoints {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final EtcdProcessCluster cluster;

  public Failpoints(EtcdProcessCluster cluster) {
    this.cluster = cluster;
  }

  public void arm(String member, String failpoint, String term) {
    send(member, failpoint, HttpRequest.BodyPublishers.ofString(term), "PUT");
  }

  public void disarm(String member, String failpoint) {
    send(member, failpoint, HttpRequest.BodyPublishers.noBody(), "DELETE");
  }

  private void send(String member, String failpoint, HttpRequest.BodyPublisher body, String method) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.failpointUrl(member) + "/" + failpoint))
        .timeout(TIMEOUT).method(method, body).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " failpoint " + failpoint + " on " + member + ": HTTP "
            + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
