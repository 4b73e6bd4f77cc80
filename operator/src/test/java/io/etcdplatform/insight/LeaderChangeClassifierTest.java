package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.metrics.Histogram;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderChangeClassifierTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
  private static final double INF = Double.POSITIVE_INFINITY;
  private final LeaderChangeClassifier classifier = new LeaderChangeClassifier();

  private static final PreviousLeader BEFORE = new PreviousLeader("etcd-0", 1, 5,
      Map.of("etcd-0", 0, "etcd-1", 0, "etcd-2", 0));

  private static EtcdMemberState member(int ordinal, long term) {
    return new EtcdMemberState(ordinal + 1, "etcd-" + ordinal, ordinal, true, false, true, 100, null,
        new MemberStats("3.6.16", 1, 1, 10, term, 100));
  }

  private static EtcdMemberState silent(int ordinal) {
    return new EtcdMemberState(ordinal + 1, "etcd-" + ordinal, ordinal, true, false, false, 0, NOW, null);
  }

  private static PodState pod(int ordinal) {
    return new PodState("etcd-" + ordinal, ordinal, true, true, NOW.minusSeconds(3600), null);
  }

  private static ClusterObservation observed(long leaderId, EtcdMemberState... members) {
    List<PodState> pods = new ArrayList<>();
    for (EtcdMemberState m : members) {
      pods.add(pod(m.ordinal()));
    }
    return new ClusterObservation(true, 42, List.of(members), leaderId, pods, NOW);
  }

  /** etcd-1 leads at term 6; etcd-0 (the old leader) answers at term 6. */
  private static ClusterObservation movedToOne() {
    return observed(2, member(0, 6), member(1, 6), member(2, 6));
  }

  private static Histogram fast() {
    return new Histogram(new double[] {0.001, 0.002, 0.004, INF}, new double[] {90, 100, 100, 100});
  }

  private static Histogram slow() {
    return new Histogram(new double[] {0.008, 0.016, 0.032, INF}, new double[] {10, 20, 100, 100});
  }

  private static MemberMetrics metrics(Histogram fsync, Histogram commit, Histogram rtt) {
    return new MemberMetrics(1, 0, 0, 0, fsync, commit, rtt);
  }

  private static Map<String, MemberMetrics> healthyMetrics() {
    Map<String, MemberMetrics> all = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      all.put("etcd-" + i, metrics(fast(), fast(), fast()));
    }
    return all;
  }

  private Optional<LeaderChange> classify(PreviousLeader before, ClusterObservation now,
      Map<String, PodRestarts> restarts, Map<String, MemberMetrics> metrics, PlannedLeaderMove planned) {
    return classifier.classify(before, now, restarts, metrics, planned, RaftTiming.ETCD_DEFAULTS);
  }

  @Test
  void noChangeWhenLeaderAndTermAreTheSame() {
    ClusterObservation same = observed(1, member(0, 5), member(1, 5), member(2, 5));
    assertThat(classify(BEFORE, same, Map.of(), healthyMetrics(), null)).isEmpty();
  }

  @Test
  void plannedMoveByTheOperator() {
    PlannedLeaderMove move = new PlannedLeaderMove("etcd-0", "etcd-1", NOW.minusSeconds(5));
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), healthyMetrics(), move).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.PlannedMove);
    assertThat(change.from()).isEqualTo("etcd-0");
    assertThat(change.to()).isEqualTo("etcd-1");
    assertThat(change.term()).isEqualTo(6);
    assertThat(change.time()).isEqualTo(NOW);
  }

  @Test
  void aPlannedMoveToAnotherMemberDoesNotExplainThisChange() {
    PlannedLeaderMove move = new PlannedLeaderMove("etcd-0", "etcd-2", NOW.minusSeconds(5));
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), healthyMetrics(), move).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.Unknown);
  }

  @Test
  void restartedLeaderWithItsTerminationReason() {
    Map<String, PodRestarts> restarts = Map.of("etcd-0", new PodRestarts(1, "OOMKilled"));
    LeaderChange change = classify(BEFORE, movedToOne(), restarts, healthyMetrics(), null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.LeaderRestarted);
    assertThat(change.evidence()).contains("pod etcd-0 restarted (restart count 0 -> 1)",
        "last termination: OOMKilled");
  }

  @Test
  void restartedPodWithoutStatsIsStillARestart() {
    ClusterObservation now = observed(2, silent(0), member(1, 6), member(2, 6));
    Map<String, PodRestarts> restarts = Map.of("etcd-0", new PodRestarts(3, null));
    PreviousLeader before = new PreviousLeader("etcd-0", 1, 5, Map.of("etcd-0", 2));
    LeaderChange change = classify(before, now, restarts, Map.of(), null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.LeaderRestarted);
    assertThat(change.evidence()).containsExactly("pod etcd-0 restarted (restart count 2 -> 3)");
  }

  @Test
  void aRestartCountWithoutAPreviousOneIsNoEvidence() {
    Map<String, PodRestarts> restarts = Map.of("etcd-0", new PodRestarts(4, "Error"));
    PreviousLeader before = new PreviousLeader("etcd-0", 1, 5, Map.of());
    LeaderChange change = classify(before, movedToOne(), restarts, healthyMetrics(), null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.Unknown);
  }

  @Test
  void oldLeaderSilentWhileOthersAnswerIsUnresponsive() {
    ClusterObservation now = observed(2, silent(0), member(1, 6), member(2, 6));
    LeaderChange change = classify(BEFORE, now, Map.of("etcd-0", new PodRestarts(0, null)), Map.of(), null)
        .orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.LeaderUnresponsive);
    assertThat(change.evidence()).anyMatch(e -> e.contains("etcd-0 did not answer") && e.contains("2 other"));
  }

  @Test
  void slowWalFsyncOfTheOldLeader() {
    Map<String, MemberMetrics> metrics = healthyMetrics();
    metrics.put("etcd-0", metrics(slow(), fast(), fast()));
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), metrics, null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.SlowDisk);
    assertThat(change.evidence()).anyMatch(e -> e.startsWith("WAL fsync p99 of etcd-0 is 31.8 ms"));
  }

  @Test
  void slowBackendCommitOfTheOldLeader() {
    Map<String, MemberMetrics> metrics = healthyMetrics();
    metrics.put("etcd-0", metrics(fast(), slow(), fast()));
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), metrics, null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.SlowDisk);
    assertThat(change.evidence()).anyMatch(e -> e.startsWith("backend commit p99 of etcd-0"));
  }

  @Test
  void aSlowDiskOnAnotherMemberIsNoEvidence() {
    Map<String, MemberMetrics> metrics = healthyMetrics();
    metrics.put("etcd-2", metrics(slow(), slow(), fast()));
    assertThat(classify(BEFORE, movedToOne(), Map.of(), metrics, null).orElseThrow().cause())
        .isEqualTo(LeaderChangeCause.Unknown);
  }

  @Test
  void roundTripCloseToTheHeartbeatIsNetworkLatency() {
    Map<String, MemberMetrics> metrics = healthyMetrics();
    Histogram rtt = new Histogram(new double[] {0.0512, 0.1024, INF}, new double[] {50, 100, 100});
    metrics.put("etcd-2", metrics(fast(), fast(), rtt));
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), metrics, null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.NetworkLatency);
    assertThat(change.evidence()).anyMatch(e -> e.contains("heartbeatIntervalMillis 100"));
  }

  @Test
  void termJumpsAreNoted() {
    ClusterObservation now = observed(2, member(0, 9), member(1, 9), member(2, 9));
    LeaderChange change = classify(BEFORE, now, Map.of(), healthyMetrics(), null).orElseThrow();
    assertThat(change.term()).isEqualTo(9);
    assertThat(change.evidence()).contains("term jumped from 5 to 9 (4 elections between passes)");
  }

  @Test
  void theSameLeaderElectedAgainInANewTermIsAChange() {
    ClusterObservation now = observed(1, member(0, 6), member(1, 6), member(2, 6));
    LeaderChange change = classify(BEFORE, now, Map.of(), healthyMetrics(), null).orElseThrow();
    assertThat(change.from()).isEqualTo("etcd-0");
    assertThat(change.to()).isEqualTo("etcd-0");
    assertThat(change.evidence()).contains("etcd-0 was elected again");
  }

  @Test
  void oldLeaderGoneFromTheMembershipIsUnknownWithThatEvidence() {
    ClusterObservation now = observed(2, member(1, 6), member(2, 6));
    LeaderChange change = classify(BEFORE, now, Map.of(), healthyMetrics(), null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.Unknown);
    assertThat(change.evidence()).contains("etcd-0 is no longer a member");
  }

  @Test
  void missingMetricsAreNamedInTheEvidence() {
    LeaderChange change = classify(BEFORE, movedToOne(), Map.of(), Map.of(), null).orElseThrow();
    assertThat(change.cause()).isEqualTo(LeaderChangeCause.Unknown);
    assertThat(change.evidence()).contains("no metrics of etcd-0");
  }

  @Test
  void nothingToCompareWithoutAPreviousStatus() {
    assertThat(classify(null, movedToOne(), Map.of(), healthyMetrics(), null)).isEmpty();
    assertThat(classify(new PreviousLeader(null, 0, 0, Map.of()), movedToOne(), Map.of(), healthyMetrics(), null))
        .isEmpty();
  }

  @Test
  void aTermGoingDownStartsANewHistory() {
    ClusterObservation restored = observed(2, member(0, 2), member(1, 2), member(2, 2));
    assertThat(classify(BEFORE, restored, Map.of(), healthyMetrics(), null)).isEmpty();
  }

  @Test
  void noLeaderOrNoStatsNowIsNoChangeYet() {
    ClusterObservation leaderless = observed(0, member(0, 6), member(1, 6), member(2, 6));
    assertThat(classify(BEFORE, leaderless, Map.of(), healthyMetrics(), null)).isEmpty();
    ClusterObservation withoutStats = observed(2, silent(0), silent(1), silent(2));
    assertThat(classify(BEFORE, withoutStats, Map.of(), healthyMetrics(), null)).isEmpty();
  }

  @Test
  void theTermIsTheLeadersWhenItReportsOne() {
    ClusterObservation now = observed(2, member(0, 5), member(1, 7), member(2, 8));
    assertThat(LeaderChangeClassifier.currentTerm(now)).isEqualTo(7);
  }
}
