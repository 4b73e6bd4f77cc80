package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import java.util.List;
import io.fabric8.kubernetes.api.model.Condition;

/** What a cluster's status remembers of its past: the operator keeps no state of its own. */
public final class ClusterHistory {

  private ClusterHistory() {}

  /** The cluster formed once (its etcd cluster ID is recorded): no member answering now means quorum is lost. */
  public static boolean formed(EtcdCluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
  }

  public static List<Condition> conditions(EtcdCluster cluster) {
    return cluster.getStatus() == null ? null : cluster.getStatus().getConditions();
  }
}
