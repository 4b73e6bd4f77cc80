package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdplatform.testkit.ApiServerTest;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.KubeControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as files: it lints, every rendering of it (defaults and varied values) is accepted by a
 * real kube-apiserver in a server-side dry run, and values.schema.json turns a bad value into an
 * error that names it.
 */
class HelmChartTest {

  private static final String CHART = "charts/etcd-operator";
  private static KubeControlPlane controlPlane;
  private static Cli helm;
  private static Cli kubectl;

  @BeforeAll
  static void start() throws Exception {
    Path work = Path.of("target", "helm-chart").toAbsolutePath();
    controlPlane = KubeControlPlane.start(work.resolve("control-plane"));
    helm = Cli.helm(controlPlane.kubeconfig(), Binaries.repositoryRoot(), work.resolve("helm"));
    kubectl = Cli.kubectl(controlPlane.kubeconfig(), Binaries.repositoryRoot());
    try (KubernetesClient client = controlPlane.newClient()) {
      ApiServerTest.installCrds(client);
      for (String namespace : List.of("operators", "team-a", "team-b")) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
    }
    for (String kind : List.of("servicemonitors", "prometheusrules")) {
      kubectl.run("apply", "--server-side", "-f", Binaries.prometheusOperatorCrd(kind).toString());
      kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd/" + kind + ".monitoring.coreos.com");
    }
  }

  @AfterAll
  static void stop() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void lintsCleanly() throws Exception {
    assertThat(helm.run("lint", "--strict", CHART)).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  static Stream<Arguments> valueSets() {
    return Stream.of(
        Arguments.of("defaults", List.of()),
        Arguments.of("watching two namespaces", List.of("--set", "watchNamespaces={team-a,team-b}")),
        Arguments.of("three replicas, placed and tuned", List.of(
            "--set", "replicaCount=3",
            "--set", "resources.limits.memory=1Gi,resources.requests.cpu=250m",
            "--set", "podLabels.team=platform,podAnnotations.owner=sre",
            "--set", "nodeSelector.kubernetes\\.io/os=linux",
            "--set", "priorityClassName=system-cluster-critical",
            "--set", "logging.format=text,logging.level=DEBUG",
            "--set", "operator.failedMemberGraceSeconds=600",
            "--set-json", "tolerations=[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"etcd\",\"effect\":\"NoSchedule\"}]",
            "--set-json", "extraEnv=[{\"name\":\"HTTP_ADDRESS\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"status.podIP\"}}}]")),
        Arguments.of("existing service account, own RBAC, no metrics Service", List.of(
            "--set", "serviceAccount.create=false,serviceAccount.name=platform-operator",
            "--set", "rbac.create=false,metrics.service.enabled=false")),
        Arguments.of("single replica without leader election", List.of("--set", "leaderElection.enabled=false")),
        Arguments.of("ServiceMonitor", List.of("--set", "metrics.serviceMonitor.enabled=true",
            "--set", "metrics.serviceMonitor.labels.release=prometheus",
            "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor")),
        Arguments.of("PrometheusRule and Grafana dashboards", List.of("--set", "metrics.prometheusRule.enabled=true",
            "--set", "grafana.dashboards.enabled=true,grafana.dashboards.namespace=team-a",
            "--api-versions", "monitoring.coreos.com/v1/PrometheusRule")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void everyRenderedObjectIsAcceptedByTheApiServer(String name, List<String> values) throws Exception {
    List<String> template = new ArrayList<>(List.of("template", "etcd-operator", CHART, "--namespace", "operators"));
    template.addAll(values);
    String rendered = helm.run(template.toArray(String[]::new));
    Path manifest = Files.createTempFile("rendered", ".yaml");
    try {
      Files.writeString(manifest, rendered);
      String applied = kubectl.run("apply", "--server-side", "--dry-run=server", "-f", manifest.toString());

      List<String> kinds = kinds(rendered);
      assertThat(kinds).contains("Deployment");
      assertThat(applied.lines().filter(l -> l.endsWith("serverside-applied (server dry run)")).count())
          .as("objects the API server accepted, of %s", kinds).isEqualTo(kinds.size());
    } finally {
      Files.deleteIfExists(manifest);
    }
  }

  @Test
  void namespacedInstallGrantsNothingClusterWide() throws Exception {
    List<String> kinds = kinds(helm.run("template", "etcd-operator", CHART, "-n", "operators",
        "--set", "watchNamespaces={team-a,team-b}"));

    assertThat(kinds).doesNotContain("ClusterRoleBinding")
        .filteredOn("RoleBinding"::equals).hasSize(3); // team-a, team-b, and the Lease in operators
  }

  @Test
  void aBadValueIsRefusedNamingTheKeyAndTheFix() {
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "replicaCount=two"))
        .hasMessageContaining("/replicaCount").hasMessageContaining("want integer");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "logging.format=xml"))
        .hasMessageContaining("/logging/format").hasMessageContaining("'text', 'json'");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "watchNamespaces={Team_A}"))
        .hasMessageContaining("/watchNamespaces/0");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "replicaz=2"))
        .hasMessageContaining("additional properties 'replicaz' not allowed");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "replicaCount=2,leaderElection.enabled=false"))
        .hasMessageContaining("replicaCount > 1 needs leaderElection.enabled=true");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "metrics.serviceMonitor.enabled=true"))
        .hasMessageContaining("needs the ServiceMonitor CRD");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "metrics.prometheusRule.enabled=true"))
        .hasMessageContaining("needs the PrometheusRule CRD");
    assertThatThrownBy(() -> helm.run("template", "x", CHART, "--set", "serviceAccount.create=false"))
        .hasMessageContaining("serviceAccount.name");
  }

  @Test
  void theChartShipsTheCurrentDashboardsAndAlertRules() throws Exception {
    Path root = Binaries.repositoryRoot();
    Path files = root.resolve(CHART).resolve("files");
    try (Stream<Path> dashboards = Files.list(root.resolve("dashboards"))) {
      for (Path source : dashboards.toList()) {
        Path copy = source.toString().endsWith(".json") ? files.resolve("dashboards").resolve(source.getFileName())
            : files.resolve(source.getFileName());
        assertThat(copy).as("%s is stale or missing: run make chart-files", copy).exists();
        assertThat(Files.readString(copy)).as("%s is stale: run make chart-files", copy)
            .isEqualTo(Files.readString(source));
      }
    }
  }

  @Test
  void appVersionIsTheProjectVersion() throws Exception {
    Path root = Binaries.repositoryRoot();
    Matcher project = Pattern.compile("<artifactId>etcd-platform</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(root.resolve("pom.xml")));
    assertThat(project.find()).isTrue();

    assertThat(Files.readString(root.resolve(CHART).resolve("Chart.yaml")))
        .contains("appVersion: \"" + project.group(1) + "\"");
  }

  private static List<String> kinds(String rendered) {
    return Pattern.compile("(?m)^kind: (\\w+)$").matcher(rendered).results().map(m -> m.group(1)).toList();
  }
}
