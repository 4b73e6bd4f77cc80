package io.etcdplatform.cluster;

import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.observation.PodState;
import io.etcdplatform.kube.Conditions;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.members.Step;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The status a person reads, computed from what was observed of etcd and the step planned. Pure:
 * the reconciler patches the result only when it differs from the current status.
 */
public final class ClusterStatusCalculator {

  /** Progressing's reason when the API server refused an owned object. */
  static final String APPLY_FAILED = "ApplyFailed";
  /** Degraded's reason when a member's etcd keeps failing and nothing worse was to be said. */
  static final String MEMBER_CRASH_LOOPING = "MemberCrashLooping";

  private ClusterStatusCalculator() {}

  /**
   * The status of a pass that observed the cluster: the membership and the step, or a restore's
   * failure while the cluster forms; an owned object the API server refused; then the hash
   * comparison's verdict and what maintenance recorded.
   */
  static EtcdClusterStatus of(EtcdCluster cluster, PassResult result, Instant now) {
    EtcdClusterStatus status = result.restoreFailure()
        .map(failure -> notActedOn(cluster, Phase.Pending, "RestoreFailed", failure.message(), now))
        .orElseGet(() -> observed(cluster, result.observation(), result.step(), now));
    if (result.applyFailure().isPresent()) {
      status = withApplyFailure(status, result.applyFailure().get(), now);
    }
    if (result.memberCrash().isPresent()) {
      status = withMemberCrash(status, result.memberCrash().get(), now);
    }
    if (result.consistency().isPresent()) {
      status = withConsistency(status, result.consistency().get(), now);
    }
    if (result.maintenance().isPresent()) {
      status = withMaintenance(status, result.maintenance().get(), now);
    }
    status.setLastBackup(result.lastBackup().orElse(null));
    status.setEndpoints(List.of(io.etcdplatform.kube.ClusterNames.clientUrl(cluster)));
    result.keyspace().ifPresent(status::setKeyspace);
    if (result.leaders().isPresent()) {
      withLeaders(status, result.observation(), result.leaders().get());
    }
    return status;
  }

  /** The change (newest first), the advice, and what the next pass compares with: leader, term, restarts. */
  private static void withLeaders(EtcdClusterStatus status, ClusterObservation observation,
      LeaderHistory.Outcome leaders) {
    status.setLeaderChanges(LeaderHistory.kept(status.getLeaderChanges(), leaders.change()));
    status.setRaftTimingAdvice(leaders.raftTimingAdvice().orElse(null));
    if (observation.reachable()) {
      LeaderHistory.recordRestarts(status.getMembers(), leaders.restarts());
    }
    long term = io.etcdplatform.insight.LeaderChangeClassifier.currentTerm(observation);
    observation.leader().filter(l -> term > 0).ifPresent(leader -> {
      status.setLeaderId(Long.toHexString(leader.id()));
      status.setLeaderTerm(term);
    });
  }

  /** Status of a cluster the operator observed and acted on this pass. */
  public static EtcdClusterStatus observed(EtcdCluster cluster, ClusterObservation observation, Step step, Instant now) {
    long generation = cluster.getMetadata().getGeneration();
    EtcdClusterStatus current = currentOf(cluster);
    Summary summary = Summary.of(cluster.getSpec().getReplicas(), observation);
    Condition degradation = degradation(observation, step, summary, generation);
    EtcdClusterStatus status = copyOf(current);
    status.setObservedGeneration(generation);
    status.setConditions(Conditions.merge(current.getConditions(),
        List.of(availability(observation, summary, generation), progressing(step, generation), degradation), now));
    status.setReadyMembers(summary.healthy());
    status.setReady(summary.healthy() + "/" + summary.desired());
    if (observation.reachable()) {
      status.setClusterId(Long.toHexString(observation.clusterId()));
      status.setLeader(summary.leader());
      status.setMembers(members(observation));
      status.setRevisionSpread(revisionSpread(observation).orElse(null));
      commonVersion(observation).ifPresent(status::setVersion);
    }
    status.setPhase(step instanceof Step.QuorumLost || "True".equals(degradation.getStatus()) ? Phase.Degraded
        : summary.available() && step instanceof Step.Steady ? Phase.Running
        : step instanceof Step.Bootstrap ? Phase.Pending
        : Phase.Progressing);
    return status;
  }

  /** The voting membership in a few numbers, and in the words the conditions say it. */
  private record Summary(int desired, int voters, int healthy, String leader, boolean available, String words) {

    static Summary of(int desired, ClusterObservation observation) {
      int voters = observation.voters().size();
      int healthy = (int) observation.healthyVoters();
      String leader = observation.leader().map(EtcdMemberState::name).orElse(null);
      boolean available = observation.reachable() && leader != null && healthy == desired && voters == desired
          && observation.learners().isEmpty();
      return new Summary(desired, voters, healthy, leader, available, healthy + " of " + voters
          + " voting members healthy" + (leader == null ? ", no leader" : ", leader " + leader));
    }
  }

  private static Condition availability(ClusterObservation observation, Summary summary, long generation) {
    if (summary.available()) {
      return Conditions.of(Conditions.AVAILABLE, true, "AllMembersHealthy", summary.words(), generation);
    }
    return Conditions.of(Conditions.AVAILABLE, false, observation.reachable() ? "MembersUnhealthy" : "NoMemberAnswers",
        observation.reachable() ? summary.words() : "no member answers yet", generation);
  }

  /** Progressing's reason is the step, its message the step's reason; False when settled or waiting for a person. */
  private static Condition progressing(Step step, long generation) {
    if (step instanceof Step.Steady) {
      return Conditions.of(Conditions.PROGRESSING, false, "Reconciled", step.reason(), generation);
    }
    boolean stuck = step instanceof Step.QuorumLost || step instanceof Step.Blocked;
    return Conditions.of(Conditions.PROGRESSING, !stuck, kind(step), step.reason(), generation);
  }

  private static Condition degradation(ClusterObservation observation, Step step, Summary summary, long generation) {
    if (step instanceof Step.QuorumLost) {
      return Conditions.of(Conditions.DEGRADED, true, Conditions.QUORUM_LOST, step.reason(), generation);
    }
    if (observation.reachable() && summary.healthy() < summary.voters()) {
      return Conditions.of(Conditions.DEGRADED, true, summary.healthy() <= ClusterObservation.quorum(summary.voters())
          ? "QuorumAtRisk" : "MembersUnavailable", summary.words(), generation);
    }
    List<String> strays = observation.podsWithoutMember().stream().map(PodState::name)
        .filter(pod -> !(step instanceof Step.AddLearner add && add.name().equals(pod))).toList();
    if (observation.reachable() && !strays.isEmpty()) {
      return Conditions.of(Conditions.DEGRADED, true, "PodsWithoutMember", String.join(", ", strays)
          + (strays.size() == 1 ? " runs" : " run") + " without being a member of the cluster (" + summary.words()
          + "); such a pod never serves: see docs/operations.md", generation);
    }
    return Conditions.of(Conditions.DEGRADED, false, "AsExpected", summary.words(), generation);
  }

  /** An owned object the API server refused: not progressing until a person acts on its message. */
  private static EtcdClusterStatus withApplyFailure(EtcdClusterStatus status, PassResult.ApplyFailure failure,
      Instant now) {
    EtcdClusterStatus next = copyOf(status);
    next.setConditions(Conditions.merge(status.getConditions(), List.of(Conditions.of(Conditions.PROGRESSING, false,
        APPLY_FAILED, failure.message(), status.getObservedGeneration())), now));
    return next;
  }

  /**
   * A member's etcd failing, with what it said last: Degraded, after what Degraded said already
   * (e.g. QuorumAtRisk), so that `kubectl describe` shows why the member does not come up.
   */
  static EtcdClusterStatus withMemberCrash(EtcdClusterStatus status, String crash, Instant now) {
    Condition degraded = Conditions.find(status.getConditions(), Conditions.DEGRADED);
    boolean already = degraded != null && "True".equals(degraded.getStatus());
    EtcdClusterStatus next = copyOf(status);
    next.setConditions(Conditions.merge(status.getConditions(), List.of(Conditions.of(Conditions.DEGRADED, true,
        already ? degraded.getReason() : MEMBER_CRASH_LOOPING, (already ? degraded.getMessage() + "; " : "") + crash,
        status.getObservedGeneration() == null ? 0 : status.getObservedGeneration())), now));
    return next;
  }

  /**
   * The status with the Consistent condition of a hash comparison; an undecided comparison (too few
   * answers, a compaction in flight) leaves the last verdict in place.
   */
  public static EtcdClusterStatus withConsistency(EtcdClusterStatus status, Consistency consistency, Instant now) {
    if (consistency.verdict() == Consistency.Verdict.UNKNOWN) {
      return status;
    }
    boolean consistent = consistency.verdict() == Consistency.Verdict.CONSISTENT;
    EtcdClusterStatus next = copyOf(status);
    next.setConditions(Conditions.merge(status.getConditions(), List.of(Conditions.of(Conditions.CONSISTENT,
        consistent, consistent ? "HashesAgree" : "HashMismatch", consistency.message(),
        status.getObservedGeneration() == null ? 0 : status.getObservedGeneration())), now));
    return next;
  }

  static EtcdClusterStatus withMaintenance(EtcdClusterStatus status, ClusterMaintenance.Outcome maintenance,
      Instant now) {
    EtcdClusterStatus next = copyOf(status);
    next.setMaintenance(maintenance.status());
    next.setConditions(Conditions.merge(status.getConditions(), maintenance.conditions(), now));
    return next;
  }

  /** Status of a cluster the operator left alone this pass: paused, or a spec it refuses. */
  public static EtcdClusterStatus notActedOn(EtcdCluster cluster, Phase phase, String reason, String message, Instant now) {
    return withProgressing(cluster, phase, false, reason, message, now);
  }

  /** Status of a pass spent on one piece of work before the rest (e.g. expanding storage). */
  public static EtcdClusterStatus busyWith(EtcdCluster cluster, String reason, String message, Instant now) {
    return withProgressing(cluster, Phase.Progressing, true, reason, message, now);
  }

  private static EtcdClusterStatus withProgressing(EtcdCluster cluster, Phase phase, boolean progressing,
      String reason, String message, Instant now) {
    long generation = cluster.getMetadata().getGeneration();
    EtcdClusterStatus current = currentOf(cluster);
    EtcdClusterStatus status = copyOf(current);
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setConditions(Conditions.merge(current.getConditions(),
        List.of(Conditions.of(Conditions.PROGRESSING, progressing, reason, message, generation)), now));
    return status;
  }

  /** The step's kind as a condition reason, e.g. AddLearner. */
  static String kind(Step step) {
    return step.getClass().getSimpleName();
  }

  private static List<MemberStatus> members(ClusterObservation observation) {
    return observation.members().stream()
        .sorted(Comparator.comparingInt(EtcdMemberState::ordinal))
        .map(m -> {
          MemberStatus member = new MemberStatus();
          member.setName(m.name());
          member.setId(Long.toHexString(m.id()));
          member.setRole(m.learner() ? MemberStatus.Role.Learner
              : m.id() == observation.leaderId() ? MemberStatus.Role.Leader : MemberStatus.Role.Follower);
          member.setHealthy(m.healthy());
          member.setUnhealthySince(m.unhealthySince() == null ? null : Timestamps.of(m.unhealthySince()));
          member.setRaftIndex(m.raftIndex());
          if (m.stats() != null) {
            member.setVersion(m.stats().version());
            member.setDbSize(m.stats().dbSize());
            member.setDbSizeInUse(m.stats().dbSizeInUse());
            member.setRevision(m.stats().revision());
          }
          return member;
        })
        .toList();
  }

  /** Highest minus lowest revision of the members that answered, when any did. */
  private static Optional<Long> revisionSpread(ClusterObservation observation) {
    var revisions = observation.members().stream().filter(m -> m.stats() != null)
        .mapToLong(m -> m.stats().revision()).summaryStatistics();
    return revisions.getCount() == 0 ? Optional.empty() : Optional.of(revisions.getMax() - revisions.getMin());
  }

  /** The version every member reports, when they all answer and agree. */
  private static Optional<String> commonVersion(ClusterObservation observation) {
    Set<String> versions = observation.members().stream()
        .map(m -> m.stats() == null ? null : m.stats().version())
        .collect(Collectors.toSet());
    return versions.size() == 1 && !versions.contains(null)
        ? Optional.of(versions.iterator().next()) : Optional.empty();
  }

  private static EtcdClusterStatus currentOf(EtcdCluster cluster) {
    return cluster.getStatus() == null ? new EtcdClusterStatus() : cluster.getStatus();
  }

  static EtcdClusterStatus copyOf(EtcdClusterStatus status) {
    EtcdClusterStatus copy = new EtcdClusterStatus();
    copy.setPhase(status.getPhase());
    copy.setObservedGeneration(status.getObservedGeneration());
    copy.setConditions(status.getConditions());
    copy.setReady(status.getReady());
    copy.setReadyMembers(status.getReadyMembers());
    copy.setClusterId(status.getClusterId());
    copy.setLeader(status.getLeader());
    copy.setVersion(status.getVersion());
    copy.setMembers(status.getMembers());
    copy.setMaintenance(status.getMaintenance());
    copy.setTls(status.getTls());
    copy.setRevisionSpread(status.getRevisionSpread());
    copy.setLastBackup(status.getLastBackup());
    copy.setKeyspace(status.getKeyspace());
    copy.setLeaderChanges(status.getLeaderChanges());
    copy.setLeaderTerm(status.getLeaderTerm());
    copy.setLeaderId(status.getLeaderId());
    copy.setRaftTimingAdvice(status.getRaftTimingAdvice());
    copy.setEndpoints(status.getEndpoints());
    copy.setAuth(status.getAuth());
    return copy;
  }

}
