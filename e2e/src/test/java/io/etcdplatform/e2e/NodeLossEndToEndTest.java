package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 13, node loss: the example's three members over four Nodes (one spare), a Node lost with
 * one member on it (its processes killed, its heartbeats stopped). The real node-lifecycle
 * controller marks it Unknown and taints it unreachable, taint-based eviction leaves the member's
 * pod Terminating for good; the operator removes the member from etcd, force-deletes the pod and
 * its claim, and the member comes back on another Node with fresh data. A follower's node first,
 * then the leader's; a writer loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLossEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Path OPERATOR_LOG = Path.of("target", "operator-nodeloss.log").toAbsolutePath();
  private static LocalCluster env;
  private static OperatorProcess operator;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Path work = Path.of("target", "env").toAbsolutePath(); // the surefire JVM resolves through its hosts file
    env = LocalCluster.start(work, 4);
    Files.deleteIfExists(OPERATOR_LOG);
    operator = OperatorProcess.startAsChartAccount(env, work,
        // longer than the node-lifecycle controller takes to call the node lost (16 s + a period)
        Map.of("FAILED_MEMBER_GRACE_SECONDS", "45", "LEARNER_START_TIMEOUT_SECONDS", "120"),
        OPERATOR_LOG);
    try (InputStream example = Files.newInputStream(Binaries.repositoryRoot().resolve("examples/etcd-cluster.yaml"))) {
      env.client().load(example).inNamespace("default").serverSideApply();
    }
    awaitRunning();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void theMembersAreSpreadOneANode() {
    assertThat(env.client().nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(env.agent().nodes());
    assertThat(List.of("example-0", "example-1", "example-2")).extracting(NodeLossEndToEndTest::nodeOf)
        .doesNotHaveDuplicates().doesNotContainNull();
  }

  @Test
  @Order(2)
  void aFollowersLostNodeIsReplacedOnAnotherNodeAndNoWriteIsLost() throws Exception {
    loseTheNodeOf(member(m -> m.getRole() == MemberStatus.Role.Follower));
  }

  @Test
  @Order(3)
  void theLeadersLostNodeIsReplacedOnAnotherNodeAndNoWriteIsLost() throws Exception {
    loseTheNodeOf(member(m -> m.getRole() == MemberStatus.Role.Leader));
  }

  @Test
  @Order(4)
  void theOperatorWasRefusedNothingByTheChartsRbac() throws Exception {
    assertThat(Files.readString(OPERATOR_LOG)).doesNotContainIgnoringCase("forbidden");
  }

  private static void loseTheNodeOf(String member) throws Exception {
    String node = nodeOf(member);
    String idBefore = memberId(member);
    assertThat(List.of("example-0", "example-1", "example-2")).filteredOn(m -> node.equals(nodeOf(m)))
        .as("members on " + node).containsExactly(member);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (AcknowledgedWrites writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writes.count() > 10);
      Instant lost = Instant.now();
      env.agent().loseNode(node);

      // what Kubernetes does, each seen at least once on the way (the pod may go quickly after)
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
        Node n = env.client().nodes().withName(node).get();
        if (notReadyAndUnreachable(n)) {
          seen.add("node unreachable");
        }
        Pod pod = env.client().pods().inNamespace("default").withName(member).get();
        if (pod != null && node.equals(pod.getSpec().getNodeName())
            && pod.getMetadata().getDeletionTimestamp() != null) {
          seen.add("pod evicted (Terminating) on the lost node");
        }
        String id = memberId(member);
        return seen.size() == 2 || id != null && !id.equals(idBefore);
      });
      assertThat(seen).containsExactlyInAnyOrder("node unreachable", "pod evicted (Terminating) on the lost node");

      await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
          .until(() -> memberId(member), id -> id != null && !id.equals(idBefore));
      EtcdCluster running = awaitRunning();
      System.out.printf("[node-loss] %s on %s lost -> replaced, %d/3 voters Running: %.1f s%n", member, node,
          running.getStatus().getMembers().stream().filter(m -> m.getRole() != MemberStatus.Role.Learner).count(),
          Duration.between(lost, Instant.now()).toMillis() / 1000.0);

      assertThat(running.getStatus().getMembers()).extracting(MemberStatus::getName)
          .containsExactlyInAnyOrder("example-0", "example-1", "example-2");
      assertThat(running.getStatus().getMembers()).allMatch(m -> m.getRole() != MemberStatus.Role.Learner);
      assertThat(nodeOf(member)).as("the new " + member + "'s node").isNotEqualTo(node);
      assertThat(env.client().nodes().withName(node).get().getSpec().getTaints())
          .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()));
      assertThat(warnings()).anyMatch(e -> "ReplaceLostMember".equals(e.getReason())
          && e.getMessage().contains(member) && e.getMessage().contains(node + " is lost"));
      assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
    }
  }

  private static boolean notReadyAndUnreachable(Node node) {
    boolean notReady = node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()));
    return notReady && node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
        .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoExecute".equals(t.getEffect()));
  }

  private static List<Event> warnings() {
    return env.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).toList();
  }

  private static String member(Predicate<MemberStatus> which) {
    return cluster().getStatus().getMembers().stream().filter(which).map(MemberStatus::getName).findFirst()
        .orElseThrow();
  }

  private static String nodeOf(String pod) {
    Pod p = env.client().pods().inNamespace("default").withName(pod).get();
    return p == null ? null : p.getSpec().getNodeName();
  }

  private static String memberId(String name) {
    var members = cluster().getStatus().getMembers();
    return members == null ? null : members.stream().filter(m -> name.equals(m.getName()))
        .map(MemberStatus::getId).findFirst().orElse(null);
  }

  private static EtcdCluster cluster() {
    return resource().get();
  }

  private static Resource<EtcdCluster> resource() {
    return env.client().resources(EtcdCluster.class).inNamespace("default").withName("example");
  }

  private static EtcdCluster awaitRunning() {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)), resource(),
        c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.Running
            && "3/3".equals(c.getStatus().getReady())
            && c.getStatus().getMembers().size() == 3);
  }
}
