package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.e2e.env.OperatorJar;
import io.etcdplatform.insight.KeyspaceInspectionDue;
import io.etcdplatform.testkit.ApiServerTest;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Processes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Prometheus scraping the operator while it manages a live three-member cluster on the
 * local environment: the alert rules load, every dashboard query parses and returns data, and a
 * cluster that loses its majority raises the no-leader and insufficient-members alerts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringEndToEndTest {

  private static final String NAMESPACE = "default";
  private static final String CLUSTER = "watched";
  private static final Path DASHBOARDS = Binaries.repositoryRoot().resolve("dashboards");
  private static final Path RULES = DASHBOARDS.resolve("alerts.yaml");
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    Path work = Path.of("target", "monitoring").toAbsolutePath();
    env = LocalCluster.start(work.resolve("env"));
    ApiServerTest.installCrds(env.client());
    int metricsPort = Processes.freeLoopbackPort();
    operator = OperatorProcess.start(OperatorJar.built(), env.controlPlane().kubeconfig(), env.agent().hostsFile(),
        Map.of("HTTP_PORT", Integer.toString(metricsPort), "HTTP_ADDRESS", "127.0.0.1",
            "PROGRESS_INTERVAL_SECONDS", "2", "HEALTH_INTERVAL_SECONDS", "2", "ETCD_REQUEST_TIMEOUT_SECONDS", "2",
            "CONSISTENCY_CHECK_INTERVAL_SECONDS", "5"),
        work.resolve("operator.log"));
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(CLUSTER);
    cluster.getMetadata().setNamespace(NAMESPACE);
    // maintenance at once: a compaction on the first settled pass and an on-demand defragmentation
    cluster.getSpec().getMaintenance().getCompaction().setRetainRevisions(1L);
    cluster.getMetadata().setAnnotations(Map.of(EtcdCluster.DEFRAGMENT_ANNOTATION, "monitoring-test"));
    env.client().resource(cluster).create();
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      EtcdCluster c = env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get();
      return c.getStatus() != null && c.getStatus().getPhase() == Phase.Running;
    });
    // keys as an API server lays them out, then a keyspace inspection on demand: the keyspace panel's series
    writePods(20);
    env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
      c.getMetadata().getAnnotations().put(KeyspaceInspectionDue.ANNOTATION, "monitoring-test");
      return c;
    });
    // a backup that fails (its Secret is missing): the backup families have series
    env.client().resource(failingBackup()).create();
    prometheus = PrometheusServer.start(work.resolve("prometheus"), List.of(RULES), List.of("127.0.0.1:" + metricsPort));
    // a consistency verdict and the defragmentations scraped twice: every family is there, and
    // rate() and increase() have two samples
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
        prometheus.query("count_over_time(etcdplatform_cluster_consistent{cluster=\"" + CLUSTER + "\"}[1m]) >= 2 "
            + "and etcdplatform_cluster_consistent == 1").size() == 1
        && prometheus.query("count_over_time(etcdplatform_maintenance_defragmentation_seconds_count{cluster=\""
            + CLUSTER + "\"}[1m]) >= 2 and etcdplatform_maintenance_defragmentation_seconds_count >= 3").size() == 1
        && prometheus.query("count_over_time(etcdplatform_backups_total{cluster=\"" + CLUSTER + "\"}[1m]) >= 2")
            .size() == 1
        && !prometheus.query("etcdplatform_cluster_keyspace_keys{cluster=\"" + CLUSTER + "\"}").isEmpty());
  }

  /** Through the member pods' addresses (this suite's environment is not the one the JVM's hosts file names). */
  private static void writePods(int count) throws Exception {
    List<URI> members = IntStream.range(0, 3).mapToObj(i -> env.client().pods().inNamespace(NAMESPACE)
        .withName(CLUSTER + "-" + i).get().getStatus().getPodIP())
        .map(ip -> URI.create("http://" + ip + ":2379")).toList();
    try (Client etcd = Client.builder().endpoints(members).build()) {
      for (int i = 0; i < count; i++) {
        etcd.getKVClient().put(ByteSequence.from("/registry/pods/" + NAMESPACE + "/pod-" + i, StandardCharsets.UTF_8),
            ByteSequence.from("{}", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      }
    }
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void promtoolAcceptsTheAlertRules() throws Exception {
    Process promtool = new ProcessBuilder(PrometheusServer.executable("promtool").toString(), "check", "rules",
        RULES.toString()).redirectErrorStream(true).start();
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(promtool.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  @Test
  @Order(2)
  void everyDashboardQueryParsesAndReturnsData() throws Exception {
    List<String> failures = new ArrayList<>();
    int queries = 0;
    for (Path dashboard : dashboards()) {
      JsonNode root = new ObjectMapper().readTree(dashboard.toFile());
      for (JsonNode variable : root.path("templating").path("list")) {
        if (variable.has("definition")) {
          queries++;
          check(dashboard, "variable " + variable.path("name").asText(), labelValues(variable.path("definition").asText()),
              failures);
        }
      }
      for (JsonNode panel : panels(root)) {
        for (JsonNode target : panel.path("targets")) {
          queries++;
          check(dashboard, "panel \"" + panel.path("title").asText() + "\"", substitute(target.path("expr").asText()),
              failures);
        }
      }
    }

    assertThat(queries).as("queries in %s", DASHBOARDS).isGreaterThan(30);
    assertThat(failures).isEmpty();
  }

  @Test
  @Order(3)
  void aClusterThatLosesItsMajorityRaisesTheNoLeaderAndInsufficientMembersAlerts() throws Exception {
    env.agent().pause(NAMESPACE, CLUSTER + "-1", true);
    env.agent().pause(NAMESPACE, CLUSTER + "-2", true);
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> activeAlerts()
          .containsAll(Set.of("EtcdClusterNoLeader", "EtcdClusterInsufficientMembers")));
    } finally {
      env.agent().pause(NAMESPACE, CLUSTER + "-1", false);
      env.agent().pause(NAMESPACE, CLUSTER + "-2", false);
    }
  }

  private static EtcdBackup failingBackup() {
    S3Destination s3 = new S3Destination();
    s3.setEndpoint("http://127.0.0.1:9");
    s3.setBucket("backups");
    s3.setCredentialsSecret(new S3Destination.CredentialsSecret());
    s3.getCredentialsSecret().setName("absent");
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName("monitored");
    backup.getMetadata().setNamespace(NAMESPACE);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(CLUSTER);
    backup.getSpec().setDestination(new BackupDestination());
    backup.getSpec().getDestination().setS3(s3);
    return backup;
  }

  private static Set<String> activeAlerts() throws IOException, InterruptedException {
    Set<String> names = new java.util.TreeSet<>();
    for (JsonNode alert : prometheus.alerts()) {
      String state = alert.path("state").asText();
      if (CLUSTER.equals(alert.path("labels").path("cluster").asText()) && Set.of("pending", "firing").contains(state)) {
        names.add(alert.path("labels").path("alertname").asText());
      }
    }
    return names;
  }

  private static void check(Path dashboard, String where, String promql, List<String> failures)
      throws IOException, InterruptedException {
    try {
      if (prometheus.query(promql).isEmpty()) {
        failures.add(dashboard.getFileName() + " " + where + ": no data for " + promql);
      }
    } catch (IllegalArgumentException e) {
      failures.add(dashboard.getFileName() + " " + where + ": " + e.getMessage());
    }
  }

  /** Grafana's template variables as a person would pick them: this namespace, this cluster, this job. */
  private static String substitute(String expr) {
    return expr.replace("$namespace", NAMESPACE).replace("$cluster", CLUSTER).replace("$job", "etcd-operator")
        .replace("$__rate_interval", "1m");
  }

  /** {@code label_values(selector, label)} as the PromQL Grafana runs for it. */
  private static String labelValues(String definition) {
    Matcher m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(definition);
    assertThat(m.matches()).as("a label_values(...) variable: %s", definition).isTrue();
    return "group by (" + m.group(2) + ") (" + substitute(m.group(1)) + ")";
  }

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static List<JsonNode> panels(JsonNode root) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      all.add(panel);
      panel.path("panels").forEach(all::add);
    }
    return all;
  }
}
