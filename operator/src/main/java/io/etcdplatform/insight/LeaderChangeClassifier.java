package io.etcdplatform.insight;

import io.etcdplatform.metrics.Histogram;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides whether the leader changed since the previous pass and why, from what the operator
 * already sees: the members' status (leader, raft term), the pods' restarts, the members' own
 * metrics and the operator's record of a MoveLeader it asked for. Pure; the first cause whose
 * evidence holds wins, in the order the checks appear below (the most certain first).
 */
public final class LeaderChangeClassifier {

  /** etcd's hardware guidance: a WAL fsync p99 above 10 ms is a slow disk. */
  static final double SLOW_WAL_FSYNC_SECONDS = 0.010;
  /** etcd's hardware guidance: a backend commit p99 above 25 ms is a slow disk. */
  static final double SLOW_BACKEND_COMMIT_SECONDS = 0.025;

  private final RaftTimingAdvisor advisor = new RaftTimingAdvisor();

  /**
   * The change observed now, empty when there was none, nothing to compare with (no previous
   * status, no leader or term now) or the term went down (a restored or recreated cluster starts a
   * new history).
   *
   * @param previous null on the first pass
   * @param restarts each member pod's restarts now, by member name (absent when unknown)
   * @param metrics each member's metrics now, by member name (absent when they were not read)
   * @param planned the MoveLeader the operator recorded, null when none
   */
  public Optional<LeaderChange> classify(PreviousLeader previous, ClusterObservation now,
      Map<String, PodRestarts> restarts, Map<String, MemberMetrics> metrics, PlannedLeaderMove planned,
      RaftTiming timing) {
    Optional<EtcdMemberState> leader = now.leader();
    long term = currentTerm(now);
    if (previous == null || previous.term() <= 0 || leader.isEmpty() || term <= 0 || term < previous.term()) {
      return Optional.empty();
    }
    String to = leader.get().name();
    if (leader.get().id() == previous.id() && term == previous.term()) {
      return Optional.empty();
    }
    List<String> evidence = new ArrayList<>();
    if (term - previous.term() > 1) {
      evidence.add("term jumped from " + previous.term() + " to " + term + " (" + (term - previous.term())
          + " elections between passes)");
    }
    if (leader.get().id() == previous.id()) {
      evidence.add(to + " was elected again");
    }
    LeaderChangeCause cause = cause(previous, now, restarts, metrics, planned, timing, to, evidence);
    return Optional.of(new LeaderChange(now.now(), previous.name(), to, term, cause, evidence));
  }

  private LeaderChangeCause cause(PreviousLeader previous, ClusterObservation now,
      Map<String, PodRestarts> restarts, Map<String, MemberMetrics> metrics, PlannedLeaderMove planned,
      RaftTiming timing, String to, List<String> evidence) {
    String from = previous.name();
    if (planned != null && to.equals(planned.to()) && (planned.from() == null || planned.from().equals(from))) {
      evidence.add("the operator moved leadership from " + planned.from() + " to " + planned.to() + " at "
          + planned.at());
      return LeaderChangeCause.PlannedMove;
    }
    if (restarted(from, previous, restarts, evidence)) {
      return LeaderChangeCause.LeaderRestarted;
    }
    Optional<EtcdMemberState> old = now.members().stream().filter(m -> m.id() == previous.id()).findFirst();
    if (old.isEmpty()) {
      evidence.add(from + " is no longer a member");
      return LeaderChangeCause.Unknown;
    }
    if (unresponsive(old.get(), now, evidence)) {
      return LeaderChangeCause.LeaderUnresponsive;
    }
    MemberMetrics oldMetrics = metrics.get(from);
    if (oldMetrics != null && slowDisk(from, oldMetrics, evidence)) {
      return LeaderChangeCause.SlowDisk;
    }
    Optional<String> tight = advisor.tooTight(metrics.values(), timing);
    if (tight.isPresent()) {
      evidence.add(tight.get());
      return LeaderChangeCause.NetworkLatency;
    }
    if (oldMetrics == null) {
      evidence.add("no metrics of " + from);
    }
    evidence.add(from + " answered, did not restart, and its disk and the network were within thresholds");
    return LeaderChangeCause.Unknown;
  }

  private static boolean restarted(String from, PreviousLeader previous, Map<String, PodRestarts> restarts,
      List<String> evidence) {
    PodRestarts now = restarts.get(from);
    Integer before = previous.restartCounts().get(from);
    if (now == null || before == null || now.restartCount() <= before) {
      return false;
    }
    evidence.add("pod " + from + " restarted (restart count " + before + " -> " + now.restartCount() + ")");
    if (now.lastTerminationReason() != null) {
      evidence.add("last termination: " + now.lastTerminationReason());
    }
    return true;
  }

  private static boolean unresponsive(EtcdMemberState old, ClusterObservation now, List<String> evidence) {
    long othersAnswering = now.members().stream().filter(m -> m.id() != old.id() && m.stats() != null).count();
    if (old.stats() == null && othersAnswering > 0) {
      evidence.add(old.name() + " did not answer its status call while " + othersAnswering
          + " other member(s) did (a stalled process or a partition)");
      return true;
    }
    Optional<PodState> pod = now.pod(old.name());
    if (pod.isPresent() && !pod.get().ready() && pod.get().notReadySince() != null) {
      evidence.add("pod " + old.name() + " not ready since " + pod.get().notReadySince() + " without a restart");
      return true;
    }
    return false;
  }

  private static boolean slowDisk(String from, MemberMetrics metrics, List<String> evidence) {
    boolean slow = above(from, "WAL fsync", metrics.walFsync(), SLOW_WAL_FSYNC_SECONDS, evidence);
    slow |= above(from, "backend commit", metrics.backendCommit(), SLOW_BACKEND_COMMIT_SECONDS, evidence);
    return slow;
  }

  private static boolean above(String member, String what, Histogram histogram, double limit,
      List<String> evidence) {
    OptionalDouble p99 = histogram == null ? OptionalDouble.empty() : histogram.quantile(0.99);
    if (p99.isPresent() && p99.getAsDouble() > limit) {
      evidence.add(what + " p99 of " + member + " is " + millis(p99.getAsDouble()) + " ms (slow above "
          + millis(limit) + " ms)");
      return true;
    }
    return false;
  }

  /** The leader's term, else the highest any member reports; 0 when no member reported one. */
  public static long currentTerm(ClusterObservation now) {
    return now.leader().map(EtcdMemberState::stats).filter(Objects::nonNull)
        .map(EtcdMemberState.MemberStats::raftTerm)
        .orElseGet(() -> now.members().stream().map(EtcdMemberState::stats).filter(Objects::nonNull)
            .mapToLong(EtcdMemberState.MemberStats::raftTerm).max().orElse(0));
  }

  static String millis(double seconds) {
    return String.format(java.util.Locale.ROOT, "%.1f", seconds * 1000);
  }
}
