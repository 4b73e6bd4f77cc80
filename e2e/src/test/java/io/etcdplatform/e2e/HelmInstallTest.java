package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testkit.Binaries;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `helm install` as the README has it, on the local environment: the node agent runs the chart's
 * operator pod (the operator image's entrypoint on the built jar) with that pod's own
 * service-account token, so what the chart's RBAC grants is all the operator has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallTest {

  private static final String CHART = "charts/etcd-operator";
  private static final String RELEASE = "etcd-operator";
  private static final String NAMESPACE = "etcd-operator";
  private static final String SERVICE_ACCOUNT = "system:serviceaccount:" + NAMESPACE + ":" + RELEASE;
  private static final Map<String, String> OPERATOR_PODS = Map.of("app.kubernetes.io/instance", RELEASE);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static LocalCluster env;
  private static KubernetesClient client;
  private static Cli helm;
  private static Cli kubectl;

  @BeforeAll
  static void start() throws Exception {
    Path work = Path.of("target", "helm-env").toAbsolutePath();
    env = LocalCluster.start(work.resolve("env"));
    client = env.client();
    Path kubeconfig = env.controlPlane().kubeconfig();
    helm = Cli.helm(kubeconfig, Binaries.repositoryRoot(), work.resolve("helm"));
    kubectl = Cli.kubectl(kubeconfig, Binaries.repositoryRoot());
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void installedWithDefaultsTheOperatorPodBringsTheExampleToAvailable() throws Exception {
    String installed = helm.run("install", RELEASE, CHART, "--namespace", NAMESPACE, "--create-namespace",
        "--wait", "--timeout", "3m", "--set", "operator.progressIntervalSeconds=2");

    assertThat(installed).contains("STATUS: deployed").contains("kubectl apply -f").contains("rollout status");
    Pod operator = single(readyOperatorPods());
    assertThat(operator.getSpec().getServiceAccountName()).isEqualTo(RELEASE);
    await().atMost(Duration.ofSeconds(60)).until(() -> operator.getMetadata().getName().equals(leaseHolder()));

    kubectl.run("apply", "-n", "default", "-f", "examples/etcd-cluster.yaml");
    // what the status said when it said Available, not a later read
    String ready = kubectl.run("wait", "-n", "default", "--for=condition=Available",
        "--timeout=" + TIMEOUT.toSeconds() + "s", "etcdcluster/example", "-o", "jsonpath={.status.ready}");
    assertThat(ready).isEqualTo("3/3");
  }

  /**
   * The operator's JVM sizes its heap from its container's memory limit (the image's
   * -XX:MaxRAMPercentage=75 of the chart's 512Mi), which the node agent enforces with a memory
   * cgroup the JVM reads; unlimited, this machine's RAM would size it.
   */
  @Test
  @Order(2)
  void theOperatorsJvmSizesItsHeapUnderItsContainersMemoryLimit() throws Exception {
    Pod operator = single(readyOperatorPods());
    long limit = Quantity.getAmountInBytes(operator.getSpec().getContainers().get(0).getResources().getLimits()
        .get("memory")).longValueExact();
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + operator.getStatus().getPodIP() + ":8080/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

    // each heap pool's maximum (-1 where a pool has none of its own, as G1's eden)
    long heap = metrics.body().lines()
        .filter(l -> l.startsWith("jvm_memory_max_bytes{") && l.contains("area=\"heap\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .filter(max -> max > 0).sum();
    System.out.printf("[operator-heap] container limit %d MiB, JVM max heap %d MiB%n", limit >> 20, heap >> 20);
    assertThat(heap).as("the JVM's max heap").isPositive().isLessThanOrEqualTo(limit * 3 / 4);
  }

  /**
   * Installed with defaults, a settled cluster is passed over once a minute; the quorum watch brings
   * the pass that says the quorum is lost (it took 73 s before it, measured as a new user would).
   */
  @Test
  @Order(3)
  void aClusterThatLosesTwoOfThreeMembersSaysSoWithinSeconds() throws Exception {
    Instant stopped = Instant.now();
    env.agent().pause("default", "example-1", true);
    env.agent().pause("default", "example-2", true);
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
        EtcdCluster example = client.resources(EtcdCluster.class).inNamespace("default").withName("example").get();
        Condition degraded = Conditions.find(example.getStatus().getConditions(), Conditions.DEGRADED);
        return degraded != null && "QuorumLost".equals(degraded.getReason()) && example.getStatus().getPhase()
            == Phase.Degraded;
      });
      System.out.printf("[quorum-loss] 2 of 3 members stopped (SIGSTOP) -> QuorumLost in the status: %.1f s%n",
          Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
    } finally {
      env.agent().pause("default", "example-1", false);
      env.agent().pause("default", "example-2", false);
    }
    kubectl.run("wait", "-n", "default", "--for=condition=Available", "--timeout=" + TIMEOUT.toSeconds() + "s",
        "etcdcluster/example");
  }

  @Test
  @Order(4)
  void theServiceAccountCanDoWhatTheOperatorDoesAndNothingElse() {
    assertThat(allowed("default", "patch", "apps", "statefulsets")).isTrue();
    assertThat(allowed("team-a", "delete", "", "persistentvolumeclaims")).isTrue();
    assertThat(allowed("default", "patch", "etcdplatform.io", "etcdclusters/status")).isTrue();
    assertThat(allowed(NAMESPACE, "update", "coordination.k8s.io", "leases", "etcd-platform-operator")).isTrue();

    assertThat(allowed("default", "get", "", "secrets")).as("read a backup's credentials").isTrue();
    assertThat(allowed("default", "patch", "", "secrets")).as("keep a TLS cluster's certificates").isTrue();
    assertThat(allowed("default", "list", "", "secrets")).as("list Secrets").isFalse();
    assertThat(allowed("default", "update", "", "secrets")).as("replace Secrets").isFalse();
    assertThat(allowed("default", "delete", "", "secrets")).as("delete Secrets").isFalse();
    assertThat(allowed("default", "delete", "etcdplatform.io", "etcdclusters")).as("delete a cluster").isFalse();
    assertThat(allowed("default", "create", "", "pods")).as("create pods").isFalse();
    assertThat(allowed(NAMESPACE, "update", "coordination.k8s.io", "leases", "kube-scheduler")).as("another lease")
        .isFalse();
    assertThat(allowed("", "delete", "", "nodes")).as("delete nodes").isFalse();
    assertThat(allowed("", "create", "rbac.authorization.k8s.io", "clusterrolebindings")).as("grant itself more")
        .isFalse();
  }

  @Test
  @Order(5)
  void anUpgradeToTwoReplicasWatchingOneNamespaceRollsTheOperatorAndNarrowsItsRights() throws Exception {
    helm.run("upgrade", RELEASE, CHART, "--namespace", NAMESPACE, "--wait", "--timeout", "3m",
        "--set", "replicaCount=2,watchNamespaces={team-a},httpPort=9090,operator.progressIntervalSeconds=2",
        // both replicas share this machine's network: each listens on its own pod IP only
        "--set-json", "extraEnv=[{\"name\":\"HTTP_ADDRESS\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"status.podIP\"}}}]");

    await().atMost(TIMEOUT).until(() -> readyOperatorPods().size() == 2 && operatorPods().size() == 2);
    for (Pod pod : readyOperatorPods()) {
      assertThat(env("WATCH_NAMESPACES").apply(pod)).isEqualTo("team-a");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> readyOperatorPods().stream()
        .anyMatch(p -> p.getMetadata().getName().equals(leaseHolder())));

    assertThat(client.rbac().clusterRoleBindings().withLabels(OPERATOR_PODS).list().getItems()).isEmpty();
    assertThat(allowed("team-a", "patch", "apps", "statefulsets")).isTrue();
    assertThat(allowed("default", "patch", "apps", "statefulsets")).as("outside the watched namespace").isFalse();
    assertThat(allowed("team-a", "get", "", "secrets")).as("a backup's credentials in the watched namespace").isTrue();
    assertThat(allowed("default", "get", "", "secrets")).as("Secrets outside the watched namespace").isFalse();

    kubectl.run("apply", "-n", "team-a", "-f", oneMemberCluster().toString());
    kubectl.run("wait", "-n", "team-a", "--for=condition=Available", "--timeout=" + TIMEOUT.toSeconds() + "s",
        "etcdcluster/solo");
  }

  @Test
  @Order(6)
  void uninstallLeavesNoOperatorObjectsButKeepsTheCrdsAndTheClusters() throws Exception {
    helm.run("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait", "--timeout", "2m");

    await().atMost(TIMEOUT).until(() -> operatorPods().isEmpty());
    List<? extends HasMetadata> left = List.of(
            client.apps().deployments().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.apps().replicaSets().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.serviceAccounts().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.services().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.rbac().roles().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.rbac().roleBindings().inAnyNamespace().withLabels(OPERATOR_PODS).list().getItems(),
            client.rbac().clusterRoles().withLabels(OPERATOR_PODS).list().getItems(),
            client.rbac().clusterRoleBindings().withLabels(OPERATOR_PODS).list().getItems())
        .stream().flatMap(List::stream).toList();
    assertThat(left).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).isEmpty();

    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("etcdclusters.etcdplatform.io").get())
        .as("CRDs are kept, as Helm does").isNotNull();
    assertThat(client.apps().statefulSets().inNamespace("default").withName("example").get())
        .as("a cluster outlives its operator").isNotNull();
  }

  private static Path oneMemberCluster() throws Exception {
    Path file = Path.of("target", "helm-env", "solo.yaml").toAbsolutePath();
    java.nio.file.Files.writeString(file, """
        apiVersion: etcdplatform.io/v1alpha1
        kind: EtcdCluster
        metadata: {name: solo}
        spec: {replicas: 1, version: "3.6.16", storage: {size: 1Gi}}
        """);
    return file;
  }

  private static List<Pod> operatorPods() {
    return client.pods().inNamespace(NAMESPACE).withLabels(OPERATOR_PODS).list().getItems();
  }

  private static List<Pod> readyOperatorPods() {
    return operatorPods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .toList();
  }

  private static Pod single(List<Pod> pods) {
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static String leaseHolder() {
    var lease = client.leases().inNamespace(NAMESPACE).withName("etcd-platform-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static Function<Pod, String> env(String name) {
    return pod -> pod.getSpec().getContainers().get(0).getEnv().stream().filter(e -> name.equals(e.getName()))
        .findFirst().orElseThrow().getValue();
  }

  private static boolean allowed(String namespace, String verb, String group, String resource) {
    return allowed(namespace, verb, group, resource, null);
  }

  /** Asks the API server's authorizer (a SubjectAccessReview) on the operator's service account's behalf. */
  private static boolean allowed(String namespace, String verb, String group, String resource, String name) {
    String[] parts = resource.split("/", 2);
    var review = new SubjectAccessReviewBuilder().withNewSpec().withUser(SERVICE_ACCOUNT)
        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated")
        .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withGroup(group).withResource(parts[0])
        .withSubresource(parts.length > 1 ? parts[1] : null).withName(name).endResourceAttributes()
        .endSpec().build();
    return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }
}
