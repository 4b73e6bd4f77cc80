package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.LeaderChangeStatus;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.insight.LeaderChange;
import io.etcdplatform.insight.LeaderChangeCause;
import io.etcdplatform.insight.PlannedLeaderMove;
import io.etcdplatform.members.Step;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeaderHistoryTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final ClusterHealth NO_METRICS = new ClusterHealth(3, 3, true, true, 6, 0, 0, List.of(),
      Optional.empty(), List.of());

  private static EtcdMemberState member(int ordinal, long term) {
    return new EtcdMemberState(ordinal + 1, "etcd-" + ordinal, ordinal, true, false, true, 100, null,
        new MemberStats("3.6.16", 1, 1, 10, term, 100));
  }

  /** etcd-1 (ID 2) leads at term 6. */
  private static ClusterObservation movedToOne() {
    List<PodState> pods = IntStream.range(0, 3)
        .mapToObj(i -> new PodState("etcd-" + i, i, true, true, NOW.minusSeconds(3600), null)).toList();
    return new ClusterObservation(true, 42, List.of(member(0, 6), member(1, 6), member(2, 6)), 2, pods, NOW);
  }

  private static Pod pod(String name, int restarts, String lastReason) {
    var builder = new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(name).build()).withNewStatus()
        .addNewContainerStatus().withName(DesiredStatefulSet.CONTAINER).withRestartCount(restarts);
    if (lastReason != null) {
      builder = builder.withNewLastState().withNewTerminated().withReason(lastReason).endTerminated().endLastState();
    }
    return builder.endContainerStatus().endStatus().build();
  }

  private static List<Pod> pods(int restartsOfZero, String reason) {
    return List.of(pod("etcd-0", restartsOfZero, reason), pod("etcd-1", 0, null), pod("etcd-2", 0, null));
  }

  /** A cluster whose previous pass saw etcd-0 (ID 1) lead at term 5, no pod restarted. */
  private static EtcdCluster ledByZeroAtTermFive() {
    EtcdCluster cluster = cluster();
    EtcdClusterStatus status = new EtcdClusterStatus();
    status.setLeader("etcd-0");
    status.setLeaderId("1");
    status.setLeaderTerm(5L);
    List<MemberStatus> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      MemberStatus member = new MemberStatus();
      member.setName("etcd-" + i);
      member.setRestarts(0);
      members.add(member);
    }
    status.setMembers(members);
    cluster.setStatus(status);
    return cluster;
  }

  private static EtcdCluster cluster() {
    EtcdCluster cluster = new EtcdCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("main").withNamespace("ns").withGeneration(1L).build());
    EtcdClusterSpec spec = new EtcdClusterSpec();
    spec.setReplicas(3);
    cluster.setSpec(spec);
    return cluster;
  }

  @Test
  void firstPassHasNothingToCompareWith() {
    var outcome = LeaderHistory.observe(cluster(), movedToOne(), pods(0, null), NO_METRICS, null);

    assertThat(outcome.change()).isEmpty();
    assertThat(outcome.restarts()).containsEntry("etcd-0", 0).hasSize(3);
  }

  @Test
  void aRestartedOldLeaderIsTheCauseWithItsTerminationReason() {
    var outcome = LeaderHistory.observe(ledByZeroAtTermFive(), movedToOne(), pods(1, "OOMKilled"), NO_METRICS, null);

    LeaderChange change = outcome.change().orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.LeaderRestarted);
    assertThat(change.from()).isEqualTo("etcd-0");
    assertThat(change.to()).isEqualTo("etcd-1");
    assertThat(change.term()).isEqualTo(6);
    assertThat(change.evidence()).contains("last termination: OOMKilled");
    assertThat(LeaderHistory.message(change)).startsWith(
        "leader moved from etcd-0 to etcd-1 in term 6: LeaderRestarted: pod etcd-0 restarted (restart count 0 -> 1)");
  }

  @Test
  void aRecordedMoveIsPlanned() {
    var outcome = LeaderHistory.observe(ledByZeroAtTermFive(), movedToOne(), pods(0, null), NO_METRICS,
        new PlannedLeaderMove("etcd-0", "etcd-1", NOW.minusSeconds(10)));

    assertThat(outcome.change().orElseThrow().cause()).isEqualTo(LeaderChangeCause.PlannedMove);
  }

  @Test
  void theSameLeaderInTheSameTermIsNoChange() {
    EtcdCluster cluster = ledByZeroAtTermFive();
    cluster.getStatus().setLeaderId("2");
    cluster.getStatus().setLeader("etcd-1");
    cluster.getStatus().setLeaderTerm(6L);

    assertThat(LeaderHistory.observe(cluster, movedToOne(), pods(0, null), NO_METRICS, null).change()).isEmpty();
  }

  @Test
  void aRoundTripTooLongForTheTimingIsAdvised() {
    var slowRtt = new io.etcdplatform.metrics.Histogram(new double[] {0.064, 0.128, Double.POSITIVE_INFINITY},
        new double[] {0, 100, 100});
    var metrics = new io.etcdplatform.metrics.MemberMetrics(1, 0, 0, 0, null, null, slowRtt);
    var member = new io.etcdplatform.metrics.MemberHealth("etcd-1", true, true, "follower", "3.6.16", 1, 1, 1, 6, 1,
        1, metrics);
    var health = new ClusterHealth(3, 3, true, true, 6, 0, 0, List.of(), Optional.empty(), List.of(member));

    var outcome = LeaderHistory.observe(cluster(), movedToOne(), pods(0, null), health, null);

    assertThat(outcome.raftTimingAdvice()).get().asString()
        .contains("heartbeatIntervalMillis 100 and electionTimeoutMillis 1000")
        .contains("set spec.etcd.heartbeatIntervalMillis to");
    assertThat(LeaderHistory.observe(cluster(), movedToOne(), pods(0, null), NO_METRICS, null).raftTimingAdvice())
        .isEmpty();
  }

  /** etcd-0's metrics with WAL fsync buckets at or below 8 ms, 16 ms and 2 s. */
  private static ClusterHealth zeroFsyncs(double atMost8ms, double atMost16ms, double atMost2s) {
    var fsync = new io.etcdplatform.metrics.Histogram(new double[] {0.008, 0.016, 2.048, Double.POSITIVE_INFINITY},
        new double[] {atMost8ms, atMost16ms, atMost2s, atMost2s});
    var metrics = new io.etcdplatform.metrics.MemberMetrics(1, 0, 0, 0, fsync, null, null);
    var member = new io.etcdplatform.metrics.MemberHealth("etcd-0", true, true, "follower", "3.6.16", 1, 1, 1, 6, 1,
        1, metrics);
    return new ClusterHealth(3, 3, true, true, 6, 0, 0, List.of(), Optional.empty(), List.of(member));
  }

  @Test
  void slowFsyncsBeforeThePreviousPassDoNotExplainAChangeSinceIt() {
    // ten fsyncs of up to 2 s when etcd-0 started, then a hundred fast ones since the previous pass:
    // its p99 since it started is slow, the one around the change is not
    var atLastPass = LeaderHistory.metrics(zeroFsyncs(90, 90, 100));
    ClusterHealth now = zeroFsyncs(190, 190, 200);

    var judgedAroundTheChange = LeaderHistory.observe(ledByZeroAtTermFive(), movedToOne(), pods(0, null), now, null,
        atLastPass);
    assertThat(judgedAroundTheChange.change()).get().extracting(LeaderChange::cause)
        .isNotEqualTo(LeaderChangeCause.SlowDisk);

    var slowSinceTheLastPass = LeaderHistory.observe(ledByZeroAtTermFive(), movedToOne(), pods(0, null),
        zeroFsyncs(180, 180, 200), null, LeaderHistory.metrics(zeroFsyncs(90, 90, 100)));
    assertThat(slowSinceTheLastPass.change()).get().extracting(LeaderChange::cause)
        .isEqualTo(LeaderChangeCause.SlowDisk);
    // a restarted operator has no earlier pass: it judges on everything since the member started
    assertThat(LeaderHistory.observe(ledByZeroAtTermFive(), movedToOne(), pods(0, null), now, null).change()).get()
        .extracting(LeaderChange::cause).isEqualTo(LeaderChangeCause.SlowDisk);
  }

  @Test
  void keepsFiveNewestFirst() {
    List<LeaderChangeStatus> kept = null;
    for (int term = 1; term <= 7; term++) {
      kept = LeaderHistory.kept(kept, Optional.of(new LeaderChange(NOW.plusSeconds(term), "a", "b", term,
          LeaderChangeCause.Unknown, List.of())));
    }

    assertThat(kept).extracting(LeaderChangeStatus::getTerm).containsExactly(7L, 6L, 5L, 4L, 3L);
    assertThat(LeaderHistory.kept(kept, Optional.empty())).isSameAs(kept);
  }

  @Test
  void theStatusRecordsTheChangeAndWhatTheNextPassComparesWith() {
    EtcdCluster cluster = ledByZeroAtTermFive();
    ClusterObservation now = movedToOne();
    var outcome = LeaderHistory.observe(cluster, now, pods(1, "Error"), NO_METRICS, null);
    var result = new PassResult(now, new Step.Steady(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(outcome));

    EtcdClusterStatus status = ClusterStatusCalculator.of(cluster, result, NOW);

    assertThat(status.getLeaderChanges()).singleElement().satisfies(c -> {
      assertThat(c.getCause()).isEqualTo("LeaderRestarted");
      assertThat(c.getFrom()).isEqualTo("etcd-0");
      assertThat(c.getTo()).isEqualTo("etcd-1");
      assertThat(c.getTime()).isEqualTo("2026-12-02T10:00:00Z");
    });
    assertThat(status.getLeaderId()).isEqualTo("2");
    assertThat(status.getLeaderTerm()).isEqualTo(6L);
    assertThat(status.getMembers()).extracting(MemberStatus::getRestarts).containsExactly(1, 0, 0);

    cluster.setStatus(status);
    assertThat(LeaderHistory.observe(cluster, now, pods(1, "Error"), NO_METRICS, null).change()).isEmpty();
  }
}
