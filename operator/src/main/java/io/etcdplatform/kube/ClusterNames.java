package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;

/** The one place where names of owned objects and member DNS names are derived. */
public final class ClusterNames {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  public static final int METRICS_PORT = 2381;
  /** Members speak plaintext on both planes (TLS is the security issue's). */
  public static final String SCHEME = "http";
  private static final String PEER_SUFFIX = "-peer";
  private static final String CLIENT_SUFFIX = "-client";

  private ClusterNames() {}

  public static String statefulSet(EtcdCluster cluster) {
    return cluster.getMetadata().getName();
  }

  public static String podDisruptionBudget(EtcdCluster cluster) {
    return cluster.getMetadata().getName();
  }

  public static String peerService(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + PEER_SUFFIX;
  }

  public static String clientService(EtcdCluster cluster) {
    return clientService(cluster.getMetadata().getName());
  }

  public static String clientService(String cluster) {
    return cluster + CLIENT_SUFFIX;
  }

  public static String bootstrapConfigMap(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-bootstrap";
  }

  /** Member name = pod name = {@code <cluster>-<ordinal>}. */
  public static String member(EtcdCluster cluster, int ordinal) {
    return cluster.getMetadata().getName() + "-" + ordinal;
  }

  /** Stable DNS name of a member on the headless peer Service. */
  public static String memberHost(String cluster, String namespace, String member) {
    return member + "." + peerServiceHost(cluster, namespace);
  }

  public static String peerServiceHost(String cluster, String namespace) {
    return cluster + PEER_SUFFIX + "." + namespace + ".svc";
  }

  public static String clientServiceHost(String cluster, String namespace) {
    return clientService(cluster) + "." + namespace + ".svc";
  }

  /** A member's URL on one of its ports: the one place the scheme is chosen. */
  public static String url(String host, int port) {
    return SCHEME + "://" + host + ":" + port;
  }
}
