package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status a person reads, computed from the cluster and what was observed. Pure: the
 * reconciler patches the result only when it differs from the current status.
 */
public final class ClusterStatusCalculator {

  private ClusterStatusCalculator() {}

  /** Status of a cluster the operator acted on this pass. */
  public static EtcdClusterStatus observed(EtcdCluster cluster, Optional<StatefulSet> statefulSet, Instant now) {
    long generation = cluster.getMetadata().getGeneration();
    EtcdClusterStatus current = currentOf(cluster);
    int desired = cluster.getSpec().getReplicas();
    StatefulSetStatus sts = statefulSet.map(StatefulSet::getStatus).orElse(null);
    int ready = sts == null || sts.getReadyReplicas() == null ? 0 : sts.getReadyReplicas();
    boolean settled = statefulSet.isPresent() && sts != null
        && Objects.equals(sts.getObservedGeneration(), statefulSet.get().getMetadata().getGeneration())
        && Objects.equals(sts.getReplicas(), desired);
    boolean rolledOut = settled && Objects.equals(sts.getCurrentRevision(), sts.getUpdateRevision());
    boolean available = settled && ready == desired;
    // Degraded only once the cluster has been available: a forming cluster is progressing.
    boolean formedBefore = Conditions.isTrue(current.getConditions(), Conditions.AVAILABLE)
        || Conditions.isTrue(current.getConditions(), Conditions.DEGRADED);
    boolean degraded = !available && formedBefore;
    String readiness = ready + " of " + desired + " members ready";

    List<Condition> conditions = List.of(
        available
            ? Conditions.of(Conditions.AVAILABLE, true, "AllMembersReady", readiness, generation)
            : Conditions.of(Conditions.AVAILABLE, false, "MembersNotReady", readiness, generation),
        available && rolledOut
            ? Conditions.of(Conditions.PROGRESSING, false, "Reconciled", "the cluster matches its spec", generation)
            : Conditions.of(Conditions.PROGRESSING, true, settled ? "WaitingForMembers" : "ApplyingSpec",
                settled ? readiness : "the StatefulSet is being brought to the spec", generation),
        degraded
            ? Conditions.of(Conditions.DEGRADED, true,
                ready >= DesiredPodDisruptionBudget.quorum(desired) ? "MembersUnavailable" : "QuorumAtRisk",
                readiness, generation)
            : Conditions.of(Conditions.DEGRADED, false, "AsExpected", readiness, generation));

    EtcdClusterStatus status = copyOf(current);
    status.setObservedGeneration(generation);
    status.setConditions(Conditions.merge(current.getConditions(), conditions, now));
    status.setReadyMembers(ready);
    status.setReady(ready + "/" + desired);
    if (available && rolledOut) {
      status.setVersion(cluster.getSpec().getVersion());
    }
    status.setPhase(available ? (rolledOut ? Phase.Running : Phase.Progressing)
        : degraded ? Phase.Degraded
        : ready == 0 ? Phase.Pending : Phase.Progressing);
    return status;
  }

  /** Status of a cluster the operator left alone this pass: paused, or a spec it refuses. */
  public static EtcdClusterStatus notActedOn(EtcdCluster cluster, Phase phase, String reason, String message, Instant now) {
    long generation = cluster.getMetadata().getGeneration();
    EtcdClusterStatus current = currentOf(cluster);
    EtcdClusterStatus status = copyOf(current);
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setConditions(Conditions.merge(current.getConditions(),
        List.of(Conditions.of(Conditions.PROGRESSING, false, reason, message, generation)), now));
    return status;
  }

  private static EtcdClusterStatus currentOf(EtcdCluster cluster) {
    return cluster.getStatus() == null ? new EtcdClusterStatus() : cluster.getStatus();
  }

  private static EtcdClusterStatus copyOf(EtcdClusterStatus status) {
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
    return copy;
  }
}
