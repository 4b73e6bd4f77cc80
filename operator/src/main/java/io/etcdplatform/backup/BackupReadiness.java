package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterHistory;
import io.etcdplatform.kube.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/**
 * Whether a scheduled run can take a snapshot now, read from what the cluster's own controller
 * last wrote in its status: a cluster that never formed, or whose quorum is lost, has no member
 * that could serve one, so its run is recorded as Skipped instead of failing. Pure.
 */
public final class BackupReadiness {

  private BackupReadiness() {}

  /** Why the cluster cannot be backed up now; empty when it can. */
  public static Optional<String> whyNot(EtcdCluster cluster) {
    if (!ClusterHistory.formed(cluster)) {
      return Optional.of("the cluster " + cluster.getMetadata().getName() + " has not formed yet: no member has "
          + "served it; the next run tries again");
    }
    Condition degraded = Conditions.find(ClusterHistory.conditions(cluster), Conditions.DEGRADED);
    if (degraded != null && "True".equals(degraded.getStatus())
        && Conditions.QUORUM_LOST.equals(degraded.getReason())) {
      return Optional.of("the quorum of " + cluster.getMetadata().getName() + " is lost (" + degraded.getMessage()
          + "): no member can serve a snapshot; the newest Succeeded backup is kept, and the next run tries again");
    }
    return Optional.empty();
  }
}
