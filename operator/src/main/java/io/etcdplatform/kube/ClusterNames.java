package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;

/** The one place where names of owned objects and member DNS names are derived. */
public final class ClusterNames {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  public static final int METRICS_PORT = 2381;

  private ClusterNames() {}

  public static String statefulSet(EtcdCluster cluster) {
    return cluster.getMetadata().getName();
  }

  public static String podDisruptionBudget(EtcdCluster cluster) {
    return cluster.getMetadata().getName();
  }

  public static String peerService(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-peer";
  }

  public static String clientService(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-client";
  }

  public static String bootstrapConfigMap(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-bootstrap";
  }

  /** Member name = pod name = {@code <cluster>-<ordinal>}. */
  public static String member(EtcdCluster cluster, int ordinal) {
    return cluster.getMetadata().getName() + "-" + ordinal;
  }

  /** Stable DNS name of a member on the headless peer Service. */
  public static String memberHost(EtcdCluster cluster, String member) {
    return member + "." + peerService(cluster) + "." + cluster.getMetadata().getNamespace() + ".svc";
  }

  public static String peerUrl(EtcdCluster cluster, String member) {
    return "http://" + memberHost(cluster, member) + ":" + PEER_PORT;
  }

  public static String clientUrl(EtcdCluster cluster, String member) {
    return "http://" + memberHost(cluster, member) + ":" + CLIENT_PORT;
  }
}
