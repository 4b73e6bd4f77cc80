package io.etcdplatform.testing;

import io.etcdplatform.Main;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.testkit.KubeControlPlane;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The operator, started in this JVM against the test control plane, and its HTTP endpoints. */
public final class OperatorUnderTest implements AutoCloseable {

  /**
   * Where the operator's process would exit (a lost lease, an informer stopped for good; Main logs
   * why), a test's JVM carries on: the test fails on what it asserts instead of the whole run dying.
   */
  public static final Runnable DO_NOT_EXIT = () -> {};

  private final Main.RunningOperator running;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OperatorUnderTest(Main.RunningOperator running) {
    this.running = running;
  }

  /** Watches one namespace, elects a leader there, reconciles every second while progressing. */
  public static OperatorUnderTest start(KubeControlPlane controlPlane, String namespace) throws Exception {
    return start(controlPlane, namespace, DO_NOT_EXIT);
  }

  /** As above; {@code exitProcess} runs where the operator's process would exit. */
  public static OperatorUnderTest start(KubeControlPlane controlPlane, String namespace, Runnable exitProcess)
      throws Exception {
    OperatorConfig config = OperatorConfig.from(Map.of(
        "WATCH_NAMESPACES", namespace,
        "LEADER_ELECTION_NAMESPACE", namespace,
        "HTTP_PORT", "0",
        "PROGRESS_INTERVAL_SECONDS", "1",
        "HEALTH_INTERVAL_SECONDS", "2"));
    return new OperatorUnderTest(Main.start(config,
        io.fabric8.kubernetes.client.Config.fromKubeconfig(controlPlane.kubeconfigYaml()), exitProcess));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.http().port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sum of all series of a counter family on /metrics (0 when absent). */
  public double counter(String family) throws IOException, InterruptedException {
    return get("/metrics").body().lines()
        .filter(line -> line.startsWith(family + "{") || line.startsWith(family + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Override
  public void close() {
    running.close();
  }
}
