package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a cluster's status remembers of its past: the operator keeps no state of its own. */
public final class ClusterHistory {

  private ClusterHistory() {}

  /** The cluster formed once (its etcd cluster ID is recorded): no member answering now means quorum is lost. */
  public static boolean formed(EtcdCluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
  }

  /** A pass went past every gate once and observed the cluster (only that writes Available): it applied its objects. */
  public static boolean observed(EtcdCluster cluster) {
    return Conditions.find(conditions(cluster), Conditions.AVAILABLE) != null;
  }

  /** Since when each member (by ID) has been unhealthy, as the last pass recorded it. */
  public static Map<Long, Instant> unhealthySince(EtcdCluster cluster) {
    List<MemberStatus> members = cluster.getStatus() == null ? null : cluster.getStatus().getMembers();
    if (members == null) {
      return Map.of();
    }
    Map<Long, Instant> since = new HashMap<>();
    for (MemberStatus member : members) {
      if (member.getUnhealthySince() != null && member.getId() != null) {
        since.put(Long.parseUnsignedLong(member.getId(), 16), Instant.parse(member.getUnhealthySince()));
      }
    }
    return since;
  }

  public static List<Condition> conditions(EtcdCluster cluster) {
    return cluster.getStatus() == null ? null : cluster.getStatus().getConditions();
  }
}
