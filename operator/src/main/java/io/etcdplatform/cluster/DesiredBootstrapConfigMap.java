package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.members.MembershipLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bootstrap data of the member that starts next with an empty data directory: etcd reads these
 * ETCD_INITIAL_* variables only then, and ignores them once it has data. The content comes from
 * {@link MembershipLayout}: every member with state {@code new} while the cluster forms, the
 * current members with state {@code existing} afterwards (see there why established members are
 * listed under another name).
 */
public final class DesiredBootstrapConfigMap {

  public static final String INITIAL_CLUSTER = "ETCD_INITIAL_CLUSTER";
  public static final String INITIAL_CLUSTER_STATE = "ETCD_INITIAL_CLUSTER_STATE";
  public static final String INITIAL_CLUSTER_TOKEN = "ETCD_INITIAL_CLUSTER_TOKEN";

  private DesiredBootstrapConfigMap() {}

  public static ConfigMap build(EtcdCluster cluster, MembershipLayout layout) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(INITIAL_CLUSTER, layout.initialCluster());
    data.put(INITIAL_CLUSTER_STATE, layout.newCluster() ? "new" : "existing");
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
