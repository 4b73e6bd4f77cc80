package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Bootstrap data of the member that starts next with an empty data directory: etcd reads these
 * ETCD_INITIAL_* variables only then, and ignores them once it has data. Because membership
 * changes one member at a time, cluster-wide values are exactly that member's bootstrap data:
 * state {@code new} with every member while the cluster forms, state {@code existing} with the
 * current members plus the joining one afterwards.
 */
public final class DesiredBootstrapConfigMap {

  public static final String INITIAL_CLUSTER = "ETCD_INITIAL_CLUSTER";
  public static final String INITIAL_CLUSTER_STATE = "ETCD_INITIAL_CLUSTER_STATE";
  public static final String INITIAL_CLUSTER_TOKEN = "ETCD_INITIAL_CLUSTER_TOKEN";

  public enum ClusterState {
    NEW("new"), EXISTING("existing");

    private final String flagValue;

    ClusterState(String flagValue) {
      this.flagValue = flagValue;
    }
  }

  private DesiredBootstrapConfigMap() {}

  /** A cluster forming: every member of spec.replicas, state new. */
  public static ConfigMap forNewCluster(EtcdCluster cluster) {
    List<String> members = IntStream.range(0, cluster.getSpec().getReplicas())
        .mapToObj(ordinal -> ClusterNames.member(cluster, ordinal))
        .toList();
    return build(cluster, members, ClusterState.NEW);
  }

  public static ConfigMap build(EtcdCluster cluster, List<String> members, ClusterState state) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(INITIAL_CLUSTER, members.stream()
        .map(member -> member + "=" + ClusterNames.peerUrl(cluster, member))
        .collect(Collectors.joining(",")));
    data.put(INITIAL_CLUSTER_STATE, state.flagValue);
    data.put(INITIAL_CLUSTER_TOKEN, clusterToken(cluster));
    return new ConfigMapBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.bootstrapConfigMap(cluster), "bootstrap"))
        .withData(data)
        .build();
  }

  /**
   * Unique per EtcdCluster object, so members of a deleted and re-created cluster of the same
   * name never mistake each other for peers.
   */
  static String clusterToken(EtcdCluster cluster) {
    String uid = cluster.getMetadata().getUid();
    return cluster.getMetadata().getName() + (uid == null ? "" : "-" + uid.substring(0, Math.min(8, uid.length())));
  }
}
