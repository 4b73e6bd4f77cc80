package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.health.EtcdHealthProbe;
import io.etcdplatform.health.HealthObserver;
import io.etcdplatform.health.HealthProbe;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.metrics.MemberHealth;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.Failpoints;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Each cause of a leader change the classifier names, produced on three real etcd 3.6 processes.
 * They run etcd 3.6 built with gofail failpoints (scripts/build-binaries.sh etcd-failpoints), which
 * is the release itself until a test arms one.
 */
class LeaderChangeRealEtcdTest {

  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private HealthProbe probe;
  private Failpoints failpoints;
  private Map<String, MemberMetrics> metricsAtLastPass = Map.of();
  private final LeaderChangeClassifier classifier = new LeaderChangeClassifier();

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("lc", Path.of("target", "etcd-tests", name).toAbsolutePath(), 230,
        Binaries.etcdWithFailpoints());
    cluster.serveFailpoints();
    failpoints = new Failpoints(cluster);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    probe = new EtcdHealthProbe(driver.connection(), new MemberMetricsReader(Duration.ofSeconds(2)), cluster.access());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * What the status would say after a pass (the leader, its term, no restarts yet), and the
   * members' metrics the operator keeps from it.
   */
  private PreviousLeader previousPass() {
    metricsAtLastPass = readMetrics(driver.observe());
    ClusterObservation before = driver.observe();
    EtcdMemberState leader = before.leader().orElseThrow();
    Map<String, Integer> restarts = new HashMap<>();
    before.members().forEach(m -> restarts.put(m.name(), 0));
    return new PreviousLeader(leader.name(), leader.id(), leader.stats().raftTerm(), restarts);
  }

  private Optional<LeaderChange> classifyNow(PreviousLeader previous, Map<String, PodRestarts> restarts,
      PlannedLeaderMove planned) {
    ClusterObservation now = driver.observe();
    Map<String, MemberMetrics> sinceLastPass = new HashMap<>();
    readMetrics(now).forEach((name, m) -> sinceLastPass.put(name, m.since(metricsAtLastPass.get(name))));
    return classifier.classify(previous, now, restarts, sinceLastPass, planned, RaftTiming.ETCD_DEFAULTS);
  }

  private Map<String, MemberMetrics> readMetrics(ClusterObservation observation) {
    Map<String, MemberMetrics> metrics = new HashMap<>();
    for (MemberHealth member : HealthObserver.observe(observation, probe, false).members()) {
      if (member.metrics() != null) {
        metrics.put(member.name(), member.metrics());
      }
    }
    return metrics;
  }

  private void awaitLeaderOtherThan(String old) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> driver.observe().leader().map(m -> !m.name().equals(old)).orElse(false));
  }

  @Test
  void aKilledLeaderIsUnresponsiveWhileDownAndRestartedOnceItsPodRestarted() {
    PreviousLeader previous = previousPass();
    cluster.crash(previous.name());
    awaitLeaderOtherThan(previous.name());

    LeaderChange whileDown = classifyNow(previous, Map.of(previous.name(), new PodRestarts(0, null)), null)
        .orElseThrow();
    assertThat(whileDown.cause()).isEqualTo(LeaderChangeCause.LeaderUnresponsive);
    assertThat(whileDown.from()).isEqualTo(previous.name());
    assertThat(whileDown.term()).isGreaterThan(previous.term());

    driver.converge(3, Duration.ofSeconds(60)); // restarted with its data, as the kubelet restarts a container
    // kill -9 ends a container with exit code 137, which the kubelet reports as reason Error
    LeaderChange afterRestart = classifyNow(previous, Map.of(previous.name(), new PodRestarts(1, "Error")), null)
        .orElseThrow();
    assertThat(afterRestart.cause()).isEqualTo(LeaderChangeCause.LeaderRestarted);
    assertThat(afterRestart.evidence()).contains("last termination: Error");
  }

  @Test
  void aLeaderStoppedPastTheElectionTimeoutIsUnresponsive() {
    PreviousLeader previous = previousPass();
    cluster.pause(previous.name(), true);
    try {
      awaitLeaderOtherThan(previous.name());
      LeaderChange change = classifyNow(previous, Map.of(previous.name(), new PodRestarts(0, null)), null)
          .orElseThrow();
      assertThat(change.cause()).isEqualTo(LeaderChangeCause.LeaderUnresponsive);
      assertThat(change.evidence()).anyMatch(e -> e.startsWith(previous.name() + " did not answer"));
    } finally {
      cluster.pause(previous.name(), false);
    }
    // back, it steps down on seeing the higher term: a follower, and no change is left to explain
    await().atMost(Duration.ofSeconds(30)).until(() -> driver.observe().members().stream()
        .allMatch(m -> m.stats() != null));
    PreviousLeader settled = previousPass();
    assertThat(classifyNow(settled, settled.restartCounts().keySet().stream()
        .collect(java.util.stream.Collectors.toMap(n -> n, n -> new PodRestarts(0, null))), null)).isEmpty();
  }

  @Test
  void aMoveLeaderTheOperatorRecordedIsPlanned() {
    PreviousLeader previous = previousPass();
    ClusterObservation before = driver.observe();
    EtcdMemberState to = before.members().stream().filter(m -> m.id() != previous.id()).findFirst().orElseThrow();
    PlannedLeaderMove planned = new PlannedLeaderMove(previous.name(), to.name(), Instant.now());
    driver.connection().moveLeader(cluster.clientUrl(previous.name()), to.id());
    awaitLeaderOtherThan(previous.name());

    LeaderChange change = classifyNow(previous, Map.of(), planned).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.PlannedMove);
    assertThat(change.to()).isEqualTo(to.name());
    assertThat(change.term()).isEqualTo(previous.term() + 1);
    // the same move without the operator's record is not called planned
    assertThat(classifyNow(previous, Map.of(), null).map(LeaderChange::cause)).get()
        .isNotEqualTo(LeaderChangeCause.PlannedMove);
  }

  @Test
  void aLeaderWhoseFsyncStalledPastTheElectionTimeoutLostLeadershipToASlowDisk() {
    PreviousLeader previous = previousPass();
    // the next WAL fsync of the leader takes 1.5 s (election timeout 500 ms): what a slow disk does
    failpoints.arm(previous.name(), "walFdatasync", "1*sleep(1500)");
    writeThrough(previous.name());
    awaitLeaderOtherThan(previous.name());

    LeaderChange change = classifyNow(previous, Map.of(previous.name(), new PodRestarts(0, null)), null)
        .orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.SlowDisk);
    assertThat(change.evidence()).anyMatch(e -> e.startsWith("WAL fsync p99 of " + previous.name() + " is "));
  }

  @Test
  void aRaftLoopStalledBeforeItsSaveIsNotBlamedOnTheDiskWithoutDiskEvidence() {
    PreviousLeader previous = previousPass();
    // the same stall outside the fsync etcd times: the leader is lost, the disk metrics are clean
    failpoints.arm(previous.name(), "raftBeforeSave", "1*sleep(1500)");
    writeThrough(previous.name());
    awaitLeaderOtherThan(previous.name());
    await().atMost(Duration.ofSeconds(30)).until(() -> driver.observe().members().stream()
        .allMatch(m -> m.stats() != null));

    LeaderChange change = classifyNow(previous, Map.of(previous.name(), new PodRestarts(0, null)), null)
        .orElseThrow();
    assertThat(change.cause()).as("%s", change.evidence()).isNotEqualTo(LeaderChangeCause.SlowDisk);
    assertThat(change.evidence()).noneMatch(e -> e.contains("fsync p99"));
  }

  /** One write through {@code member}, which may time out while it stalls. */
  private void writeThrough(String member) {
    try (Client client = Client.builder().endpoints(cluster.clientUrl(member)).build()) {
      client.getKVClient().put(ByteSequence.from("/failpoint-trigger", StandardCharsets.UTF_8),
          ByteSequence.from("x", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException expectedWhileItStalls) {
      // the write is only there to make the leader save (and fsync) an entry
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
