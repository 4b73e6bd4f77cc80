package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdplatform.Main;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.testing.OperatorUnderTest;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.KubeControlPlane;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the README promises a person with kubectl: `kubectl apply -f crds/` and
 * `kubectl apply -f examples/etcd-cluster.yaml` against a real API server yield the owned
 * objects, and `kubectl get ec` shows the printer columns.
 */
class KubectlWorkflowTest {

  private static KubeControlPlane controlPlane;
  private static Main.RunningOperator operator;
  private static Cli kubectl;

  @BeforeAll
  static void start() throws Exception {
    controlPlane = KubeControlPlane.start(Path.of("target", "control-plane").toAbsolutePath());
    kubectl = Cli.kubectl(controlPlane.kubeconfig(), Binaries.repositoryRoot());
    // as with Helm, the CRDs are installed before the operator starts
    kubectl.run("apply", "--server-side", "-f", "crds/");
    kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd/etcdclusters.etcdplatform.io");
    operator = Main.start(OperatorConfig.from(Map.of("HTTP_PORT", "0", "PROGRESS_INTERVAL_SECONDS", "1")),
        Config.fromKubeconfig(controlPlane.kubeconfigYaml()), OperatorUnderTest.DO_NOT_EXIT);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void applyingTheExampleYieldsTheClusterObjects() throws Exception {
    assertThat(kubectl.run("apply", "-f", "examples/etcd-cluster.yaml")).contains("etcdcluster.etcdplatform.io/example created");

    kubectl.waitFor(Duration.ofSeconds(60), "get", "statefulset/example", "service/example-peer",
        "service/example-client", "poddisruptionbudget/example", "configmap/example-bootstrap");
    assertThat(kubectl.run("get", "statefulset", "example", "-o", "jsonpath={.spec.replicas} {.spec.podManagementPolicy}"))
        .isEqualTo("3 Parallel");
    assertThat(kubectl.run("get", "pdb", "example", "-o", "jsonpath={.spec.minAvailable}")).isEqualTo("2");

    // a missing field fails the call (kubectl prints nothing for it otherwise): the wait lasts until
    // the operator has written the status
    String status = kubectl.waitFor(Duration.ofSeconds(60), "get", "ec", "example",
        "--allow-missing-template-keys=false", "-o", "jsonpath={.status.ready}");
    assertThat(status).isEqualTo("0/3");
    String table = kubectl.run("get", "ec");
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+")).as("the columns in the order a person reads them")
        .containsExactly("NAME", "READY", "VERSION", "LEADER", "PHASE", "AGE");
    assertThat(table).contains("example").contains("0/3").contains("Pending");
    assertThat(kubectl.run("get", "ec", "-o", "wide").lines().findFirst().orElseThrow())
        .matches("NAME +READY +VERSION +LEADER +PHASE +AGE +REVISION SPREAD +LAST BACKUP");
  }

  @Test
  void everyExampleIsAcceptedByTheApiServer() throws Exception {
    List<String> examples;
    try (var files = Files.list(Binaries.repositoryRoot().resolve("examples"))) {
      examples = files.map(f -> "examples/" + f.getFileName()).filter(f -> f.endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
    for (String example : examples) {
      assertThat(kubectl.run("apply", "--dry-run=server", "-f", example)).as(example).contains("(server dry run)");
    }
  }

  @Test
  void anInvalidClusterIsRejectedByKubectlApplyNamingTheField() throws Exception {
    Path invalid = Files.createTempFile("invalid", ".yaml");
    try {
      Files.writeString(invalid, """
          apiVersion: etcdplatform.io/v1alpha1
          kind: EtcdCluster
          metadata: {name: invalid}
          spec: {replicas: 12, etcd: {extraFlags: {data-dir: /tmp}}}
          """);
      assertThatThrownBy(() -> kubectl.run("apply", "-f", invalid.toString()))
          .hasMessageContaining("spec.replicas")
          .hasMessageContaining("spec.etcd.extraFlags may not set a flag the operator manages");
    } finally {
      Files.deleteIfExists(invalid);
    }
  }
}
