package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.LeaderChangeStatus;
import io.etcdplatform.health.EtcdHealthProbe;
import io.etcdplatform.health.HealthObserver;
import io.etcdplatform.health.HealthProbe;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.members.Step;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The leader-change stage over passes of three real etcd 3.6 processes: status in, status out. */
class LeaderHistoryRealEtcdTest {

  private EtcdProcessCluster etcd;
  private MembershipDriver driver;
  private HealthProbe probe;
  private final EtcdCluster cluster = new EtcdCluster();

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    etcd = new EtcdProcessCluster("lh", Path.of("target", "etcd-tests", name).toAbsolutePath(), 233,
        Binaries.etcd("etcd"));
    driver = new MembershipDriver(etcd, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    probe = new EtcdHealthProbe(driver.connection(), new MemberMetricsReader(Duration.ofSeconds(2)), etcd.access());
    cluster.setMetadata(new ObjectMetaBuilder().withName("lh").withNamespace("ns").withGeneration(1L).build());
    EtcdClusterSpec spec = new EtcdClusterSpec();
    spec.setReplicas(3);
    cluster.setSpec(spec);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  /** One pass: observe, read the metrics once, classify, compute the status the next pass reads. */
  private Optional<LeaderChangeStatus> pass(List<Pod> pods, PlannedLeaderMoves moves) {
    ClusterObservation now = driver.observe();
    var health = HealthObserver.observe(now, probe, false);
    var leaders = LeaderHistory.observe(cluster, now, pods, health, moves.of("ns/lh", Instant.now()));
    EtcdClusterStatus status = ClusterStatusCalculator.of(cluster, new PassResult(now, new Step.Steady(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(leaders)), Instant.now());
    cluster.setStatus(status);
    return leaders.change().map(LeaderHistory::statusOf);
  }

  private static List<Pod> pods(Map<String, Integer> restarts) {
    return restarts.entrySet().stream().map(e -> new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(e.getKey()).build()).withNewStatus()
        .addNewContainerStatus().withName(DesiredStatefulSet.CONTAINER).withRestartCount(e.getValue())
        .withNewLastState().withNewTerminated().withReason(e.getValue() > 0 ? "Error" : null).endTerminated()
        .endLastState().endContainerStatus().endStatus().build()).toList();
  }

  private static Map<String, Integer> noRestarts() {
    return Map.of("lh-0", 0, "lh-1", 0, "lh-2", 0);
  }

  private String awaitLeaderOtherThan(String old) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> driver.observe().leader().map(m -> !m.name().equals(old)).orElse(false));
    return driver.observe().leader().orElseThrow().name();
  }

  @Test
  void aKilledAndRestartedLeaderIsRecordedAsRestartedInTheStatus() {
    PlannedLeaderMoves moves = new PlannedLeaderMoves();
    assertThat(pass(pods(noRestarts()), moves)).as("first pass: nothing to compare with").isEmpty();
    assertThat(pass(pods(noRestarts()), moves)).as("steady: no change").isEmpty();
    String old = cluster.getStatus().getLeader();
    long term = cluster.getStatus().getLeaderTerm();

    etcd.crash(old);
    String next = awaitLeaderOtherThan(old);
    driver.converge(3, Duration.ofSeconds(60)); // restarted with its data, as the kubelet restarts a container
    var restarts = new java.util.HashMap<>(noRestarts());
    restarts.put(old, 1);
    LeaderChangeStatus change = pass(pods(restarts), moves).orElseThrow();

    assertThat(change.getCause()).isEqualTo("LeaderRestarted");
    assertThat(change.getFrom()).isEqualTo(old);
    assertThat(change.getTo()).isEqualTo(driver.observe().leader().orElseThrow().name()).isNotEqualTo(old);
    assertThat(change.getTerm()).isGreaterThan(term);
    assertThat(change.getEvidence()).contains("last termination: Error");
    assertThat(cluster.getStatus().getLeaderChanges()).singleElement().isNotNull();
    assertThat(next).isNotEqualTo(old);
    assertThat(pass(pods(restarts), moves)).as("the change is reported once").isEmpty();
  }

  @Test
  void aMoveLeaderTheOperatorRecordedIsPlannedInTheStatus() {
    PlannedLeaderMoves moves = new PlannedLeaderMoves();
    pass(pods(noRestarts()), moves);
    String old = cluster.getStatus().getLeader();
    EtcdMemberState to = driver.observe().members().stream().filter(m -> !m.name().equals(old)).findFirst()
        .orElseThrow();
    moves.record("ns/lh", old, to.name(), Instant.now());
    driver.connection().moveLeader(etcd.clientUrl(old), to.id());
    awaitLeaderOtherThan(old);

    LeaderChangeStatus change = pass(pods(noRestarts()), moves).orElseThrow();

    assertThat(change.getCause()).isEqualTo("PlannedMove");
    assertThat(change.getTo()).isEqualTo(to.name());
    assertThat(cluster.getStatus().getLeaderId()).isEqualTo(Long.toHexString(to.id()));
  }
}
