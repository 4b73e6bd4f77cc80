package io.etcdplatform.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.testkit.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real Prometheus (the machine's, Debian's package) on 127.0.0.1: scrapes the given targets
 * every second, evaluates the rule files every second, answers PromQL over its HTTP API. Stopped
 * by its own pid.
 */
public final class PrometheusServer implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();

  private PrometheusServer(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /** @param targets {@code host:port} of the operator's /metrics, scraped as job "etcd-operator" */
  public static PrometheusServer start(Path workDir, List<Path> ruleFiles, List<String> targets)
      throws IOException, InterruptedException {
    Path binary = executable("prometheus");
    Files.createDirectories(workDir);
    int port = Processes.freeLoopbackPort();
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        rule_files: [%s]
        scrape_configs:
          - job_name: etcd-operator
            static_configs: [{targets: [%s]}]
        """.formatted(String.join(", ", ruleFiles.stream().map(p -> "\"" + p.toAbsolutePath() + "\"").toList()),
        String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList())));
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
    try {
      server.awaitReady(Duration.ofSeconds(60));
      return server;
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  /** An instant query's {@code data.result}; a query Prometheus refuses throws with its error. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      throw new IllegalArgumentException(promql + ": " + answer.path("error").asText());
    }
    return answer.path("data").path("result");
  }

  /** The alerts now pending or firing. */
  public JsonNode alerts() throws IOException, InterruptedException {
    return get("/api/v1/alerts").path("data").path("alerts");
  }

  /** The machine's promtool or prometheus; fails naming the package when it is missing. */
  public static Path executable(String name) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(name + " is missing: apt-get install prometheus (.ci/run installs it)");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT).GET().build();
    return json.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue());
      }
      try {
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(CALL_TIMEOUT).GET().build();
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("prometheus not ready within " + timeout);
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
