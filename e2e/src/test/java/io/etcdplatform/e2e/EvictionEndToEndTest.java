package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.e2e.disruption.EvictionDrill;
import io.etcdplatform.e2e.disruption.FailureEvidence;
import io.etcdplatform.e2e.disruption.QuorumMonitor;
import io.etcdplatform.e2e.disruption.QuorumVerdict;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A drain that never ends, during the changes that disrupt members: a loop evicts the cluster's Ready
 * pods through the Eviction API every 1-3 s while the operator upgrades 3.5 to 3.6 and scales
 * 3 -> 5 -> 3 -> 5 (its own restarts go through the same budget). Each change is made right after
 * the loop's first admitted eviction, so it starts with a member down. Both changes complete; the
 * quorum, sampled through etcd every 500 ms, is never lost; no acknowledged write is lost; and the
 * loop was both admitted and refused, so nothing passes for want of evictions. Last, the monitor is
 * shown to see a real loss.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvictionEndToEndTest {

  private static final String NAMESPACE = "default";
  private static final String CLUSTER = "drain";
  private static final String OLD_VERSION = "3.5.35";
  private static final String NEW_VERSION = "3.6.16";
  /** Each change, made while members are evicted on a shared machine: generous, and bounded. */
  private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(8);
  /**
   * On a settled cluster the budget allows one eviction, and the first usually comes within seconds;
   * but the disruption controller counts a pod re-created under the name of one evicted moments ago
   * as still disrupted until it has seen the deletion, for up to its DeletionTimeout of 2 min.
   */
  private static final Duration FIRST_EVICTION_TIMEOUT = Duration.ofMinutes(3);
  /** The drill's own bound, should a test fail before it stops it. */
  private static final Duration DRILL_LIFETIME = Duration.ofMinutes(20);

  private static LocalCluster env;
  private static OperatorProcess operator;
  private EvictionDrill drill;

  @RegisterExtension
  final FailureEvidence evidence = new FailureEvidence(() -> env.client(), NAMESPACE, CLUSTER,
      Map.of("app.kubernetes.io/name", "etcd", "app.kubernetes.io/instance", CLUSTER));

  @BeforeAll
  static void start() throws Exception {
    // the monitor and the writer resolve member names whose addresses change with their pods
    java.security.Security.setProperty("networkaddress.cache.ttl", "0");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    operator = OperatorProcess.startAsChartAccount(env, work,
        Map.of("FAILED_MEMBER_GRACE_SECONDS", "20", "LEARNER_START_TIMEOUT_SECONDS", "120"),
        work.resolve("eviction-operator.log"));
  }

  @AfterEach
  void stopTheDrill() throws Exception {
    if (drill != null) {
      drill.close();
      drill = null;
    }
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
  void aRollingUpgradeCompletesWhileADrainEvictsMembers() throws Exception {
    EtcdCluster old = new EtcdCluster();
    old.getMetadata().setName(CLUSTER);
    old.getMetadata().setNamespace(NAMESPACE);
    old.getSpec().setVersion(OLD_VERSION);
    env.client().resource(old).create();
    EtcdCluster running = awaitRunning(3);
    assertThat(running.getStatus().getVersion()).isEqualTo(OLD_VERSION);
    drill = EvictionDrill.start(env.client(), running, 3, DRILL_LIFETIME);
    drill.awaitAnAdmittedEviction(FIRST_EVICTION_TIMEOUT);

    edit(c -> {
      c.getSpec().setVersion(NEW_VERSION);
      return c;
    });
    Waits.until(changeTiming(), resource(), c -> NEW_VERSION.equals(c.getStatus().getVersion())
        && votersOnly(c, 3) && c.getStatus().getMembers().stream().allMatch(m -> NEW_VERSION.equals(m.getVersion())));
    drill.stopEvicting();

    EtcdCluster upgraded = awaitRunning(3);
    assertThat(upgraded.getStatus().getMembers()).allMatch(m -> NEW_VERSION.equals(m.getVersion()));
    assertTheDrillKeptTheQuorum();
  }

  @Test
  @Order(2)
  void scalingToFiveThreeAndFiveCompletesWhileADrainEvictsMembers() throws Exception {
    EtcdCluster running = awaitRunning(3); // as the upgrade left it: this scenario's own start, said as such
    drill = EvictionDrill.start(env.client(), running, 5, DRILL_LIFETIME);
    drill.awaitAnAdmittedEviction(FIRST_EVICTION_TIMEOUT);

    for (int replicas : List.of(5, 3, 5)) {
      edit(c -> {
        c.getSpec().setReplicas(replicas);
        return c;
      });
      Waits.until(changeTiming(), resource(), c -> votersOnly(c, replicas));
    }
    drill.stopEvicting();

    EtcdCluster five = awaitRunning(5);
    assertThat(five.getStatus().getMembers()).extracting(MemberStatus::getName)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5).mapToObj(i -> CLUSTER + "-" + i).toList());
    assertTheDrillKeptTheQuorum();
  }

  /** The other side of the monitor: a real loss (three of five members stopped for 6 s) is one. */
  @Test
  @Order(3)
  void theMonitorSeesTheQuorumLostWhenThreeOfFiveMembersStop() throws Exception {
    QuorumVerdict verdict;
    try (QuorumMonitor monitor = QuorumMonitor.start(CLUSTER, NAMESPACE, 5, DRILL_LIFETIME)) {
      Thread.sleep(2000);
      try {
        pauseMembers(3, true);
        Thread.sleep(6000);
      } finally {
        pauseMembers(3, false);
      }
      verdict = monitor.stop();
    }
    System.out.println("EvictionEndToEndTest, three of five stopped: " + verdict);
    assertThat(verdict.losses()).as("losses the monitor saw").isNotEmpty();
  }

  private static void pauseMembers(int count, boolean paused) throws Exception {
    for (int ordinal = 0; ordinal < count; ordinal++) {
      env.agent().pause(NAMESPACE, CLUSTER + "-" + ordinal, paused);
    }
  }

  private void assertTheDrillKeptTheQuorum() throws Exception {
    EvictionDrill.Report report = drill.finish();
    drill = null;
    System.out.println("EvictionEndToEndTest: " + report);
    assertThat(report.quorum().losses()).as("quorum losses").isEmpty();
    assertThat(report.missingWrites()).as("acknowledged writes missing").isEmpty();
    assertThat(report.evictions().admitted()).as("evictions admitted").isPositive();
    assertThat(report.evictions().refused()).as("evictions the budget refused").isPositive();
    assertThat(report.quorum().withVoterMissing()).as("samples that saw an evicted voter missing").isPositive();
    assertThat(report.acknowledgedWrites()).as("acknowledged writes").isPositive();
  }

  /** The members are exactly {@code count} voters: no learner, none more, none fewer. */
  private static boolean votersOnly(EtcdCluster cluster, int count) {
    List<MemberStatus> members = cluster.getStatus().getMembers();
    return members.size() == count && members.stream().noneMatch(m -> m.getRole() == MemberStatus.Role.Learner);
  }

  /** The status that showed the cluster Running with every member ready, to assert on. */
  private static EtcdCluster awaitRunning(int members) {
    Predicate<EtcdCluster> running = c -> c.getStatus().getPhase() == Phase.Running
        && (members + "/" + members).equals(c.getStatus().getReady()) && c.getStatus().getMembers().size() == members;
    return Waits.until(await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)), resource(), running);
  }

  private static ConditionFactory changeTiming() {
    return await().atMost(CHANGE_TIMEOUT).pollInterval(Duration.ofSeconds(1));
  }

  private static void edit(UnaryOperator<EtcdCluster> change) {
    Edits.edit(resource(), change);
  }

  private static Resource<EtcdCluster> resource() {
    return env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(CLUSTER);
  }
}
