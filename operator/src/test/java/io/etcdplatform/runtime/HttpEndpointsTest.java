package io.etcdplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> send(HttpEndpoints endpoints, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthReadinessAndMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("etcdplatform.test.events", "cluster", "main").increment(3);
    AtomicBoolean ready = new AtomicBoolean(false);

    try (HttpEndpoints endpoints = new HttpEndpoints(new InetSocketAddress("127.0.0.1", 0), registry, ready::get).start()) {
      assertThat(send(endpoints, "GET", "/healthz").statusCode()).isEqualTo(200);
      assertThat(send(endpoints, "GET", "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(send(endpoints, "GET", "/readyz").statusCode()).isEqualTo(200);

      HttpResponse<String> metrics = send(endpoints, "GET", "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(metrics.body()).contains("etcdplatform_test_events_total{cluster=\"main\"} 3.0");

      assertThat(send(endpoints, "POST", "/metrics").statusCode()).isEqualTo(405);
    }
  }
}
