package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdSettings;
import io.etcdplatform.api.v1alpha1.LeaderChangeStatus;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.insight.LeaderChange;
import io.etcdplatform.insight.LeaderChangeClassifier;
import io.etcdplatform.insight.PlannedLeaderMove;
import io.etcdplatform.insight.PodRestarts;
import io.etcdplatform.insight.PreviousLeader;
import io.etcdplatform.insight.RaftTiming;
import io.etcdplatform.insight.RaftTimingAdvisor;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.MemberHealth;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.observation.ClusterObservation;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The leader-change stage: compares this pass with what the previous pass wrote to the status
 * (leader, term, each member pod's restarts) and classifies a change with the pods' restarts and
 * the member metrics the health stage already read. Pure.
 */
final class LeaderHistory {

  /** status.leaderChanges keeps this many, newest first. */
  static final int KEPT = 5;

  private static final LeaderChangeClassifier CLASSIFIER = new LeaderChangeClassifier();
  private static final RaftTimingAdvisor ADVISOR = new RaftTimingAdvisor();

  private LeaderHistory() {}

  /** What this pass found: the change (if any) and the advice on raft timing (if it is too tight). */
  record Outcome(Optional<LeaderChange> change, Optional<String> raftTimingAdvice, Map<String, Integer> restarts) {}

  /** As a restarted operator sees a pass: no member metrics of an earlier pass to compare with. */
  static Outcome observe(EtcdCluster cluster, ClusterObservation now, Collection<Pod> pods, ClusterHealth health,
      PlannedLeaderMove planned) {
    return observe(cluster, now, pods, health, planned, Map.of());
  }

  /**
   * @param atLastPass the members' metrics at the previous pass: a change is judged on the disk
   *     and network latencies since then (around the change), not on everything since each member started
   */
  static Outcome observe(EtcdCluster cluster, ClusterObservation now, Collection<Pod> pods, ClusterHealth health,
      PlannedLeaderMove planned, Map<String, MemberMetrics> atLastPass) {
    Map<String, PodRestarts> restarts = restarts(pods);
    Map<String, MemberMetrics> metrics = metrics(health);
    Map<String, MemberMetrics> sinceLastPass = new HashMap<>();
    metrics.forEach((name, m) -> sinceLastPass.put(name, m.since(atLastPass.get(name))));
    RaftTiming timing = timing(cluster.getSpec().getEtcd());
    Optional<LeaderChange> change = CLASSIFIER.classify(previous(cluster.getStatus()), now, restarts,
        sinceLastPass, planned, timing);
    Optional<String> advice = ADVISOR.recommend(metrics.values(), timing).map(r -> ADVISOR
        .tooTight(metrics.values(), timing).orElse("") + ": set spec.etcd.heartbeatIntervalMillis to "
        + r.heartbeatMillis() + " and electionTimeoutMillis to " + r.electionMillis());
    Map<String, Integer> counts = new HashMap<>();
    restarts.forEach((name, r) -> counts.put(name, r.restartCount()));
    return new Outcome(change, advice, counts);
  }

  /** The members' metrics the health stage read, by member name. */
  static Map<String, MemberMetrics> metrics(ClusterHealth health) {
    return health.members().stream().filter(m -> m.metrics() != null)
        .collect(Collectors.toMap(MemberHealth::name, MemberHealth::metrics, (a, b) -> a));
  }

  /** The previous pass's leader, term and restarts as it wrote them; null when it saw no leader. */
  static PreviousLeader previous(EtcdClusterStatus status) {
    if (status == null || status.getLeader() == null || status.getLeaderId() == null
        || status.getLeaderTerm() == null) {
      return null;
    }
    Map<String, Integer> counts = new HashMap<>();
    if (status.getMembers() != null) {
      status.getMembers().stream().filter(m -> m.getName() != null && m.getRestarts() != null)
          .forEach(m -> counts.put(m.getName(), m.getRestarts()));
    }
    return new PreviousLeader(status.getLeader(), Long.parseUnsignedLong(status.getLeaderId(), 16),
        status.getLeaderTerm(), counts);
  }

  /** The etcd container's restarts in each member pod, by pod (member) name. */
  static Map<String, PodRestarts> restarts(Collection<Pod> pods) {
    Map<String, PodRestarts> restarts = new HashMap<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      pod.getStatus().getContainerStatuses().stream()
          .filter(s -> DesiredStatefulSet.CONTAINER.equals(s.getName())).findFirst()
          .ifPresent(s -> restarts.put(pod.getMetadata().getName(), new PodRestarts(
              s.getRestartCount() == null ? 0 : s.getRestartCount(), lastTerminationReason(s))));
    }
    return restarts;
  }

  private static String lastTerminationReason(ContainerStatus status) {
    return status.getLastState() == null || status.getLastState().getTerminated() == null ? null
        : status.getLastState().getTerminated().getReason();
  }

  static RaftTiming timing(EtcdSettings etcd) {
    if (etcd == null) {
      return RaftTiming.ETCD_DEFAULTS;
    }
    return new RaftTiming(Objects.requireNonNullElse(etcd.getHeartbeatIntervalMillis(), 100),
        Objects.requireNonNullElse(etcd.getElectionTimeoutMillis(), 1000));
  }

  /** The kept list after {@code change}: newest first, at most {@link #KEPT}. */
  static List<LeaderChangeStatus> kept(List<LeaderChangeStatus> before, Optional<LeaderChange> change) {
    if (change.isEmpty()) {
      return before;
    }
    List<LeaderChangeStatus> kept = new ArrayList<>();
    kept.add(statusOf(change.get()));
    if (before != null) {
      kept.addAll(before.subList(0, Math.min(before.size(), KEPT - 1)));
    }
    return kept;
  }

  static LeaderChangeStatus statusOf(LeaderChange change) {
    return new LeaderChangeStatus(Timestamps.of(change.time()), change.from(), change.to(), change.term(),
        change.cause().name(), change.evidence());
  }

  /** The Event's words: "leader moved from X to Y in term T: cause: evidence". */
  static String message(LeaderChange change) {
    return "leader moved from " + change.from() + " to " + change.to() + " in term " + change.term() + ": "
        + change.cause() + ": " + String.join("; ", change.evidence());
  }

  /** Restart counts onto the members the status lists. */
  static void recordRestarts(List<MemberStatus> members, Map<String, Integer> restarts) {
    if (members != null) {
      members.forEach(m -> m.setRestarts(restarts.get(m.getName())));
    }
  }
}
