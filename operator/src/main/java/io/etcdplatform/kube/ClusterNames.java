package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;

/** The one place where names of owned objects and member DNS names are derived. */
public final class ClusterNames {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  public static final int METRICS_PORT = 2381;
  /** The members' metrics listener (probes, /metrics) stays plaintext: a kubelet presents no client certificate. */
  public static final String METRICS_SCHEME = "http";
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

  /** The client and peer planes' scheme: the one place it is chosen. */
  public static String scheme(EtcdCluster cluster) {
    return cluster.getSpec().tlsEnabled() ? "https" : "http";
  }

  public static String url(String scheme, String host, int port) {
    return scheme + "://" + host + ":" + port;
  }

  /** The certificate authorities of both planes (certificates and keys): never mounted into a pod. */
  public static String tlsAuthoritiesSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-tls-ca";
  }

  /** The members' server certificates of both planes and the authorities they trust. */
  public static String memberTlsSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-tls-member";
  }

  /** The operator's client certificate for this cluster (also the backup Jobs'). */
  public static String operatorTlsSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-tls-operator";
  }

  /** The Secret cert-manager writes for the members' client-plane certificate (also its Certificate's name). */
  public static String certManagerServerSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-cm-server";
  }

  /** The Secret cert-manager writes for the members' peer-plane certificate (also its Certificate's name). */
  public static String certManagerPeerSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-cm-peer";
  }

  /** The Secret cert-manager writes for the operator's client certificate (also its Certificate's name). */
  public static String certManagerOperatorSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-cm-operator";
  }

  /** The cluster's NetworkPolicy. */
  public static String networkPolicy(EtcdCluster cluster) {
    return cluster.getMetadata().getName();
  }

  /** etcd auth's root user and its password (username, password): the operator's credential on a plaintext cluster. */
  public static String authRootSecret(EtcdCluster cluster) {
    return cluster.getMetadata().getName() + "-auth-root";
  }

  /** What an application of declared user {@code user} mounts: endpoints, username, password (and TLS files). */
  public static String userSecret(EtcdCluster cluster, String user) {
    return cluster.getMetadata().getName() + "-user-" + user;
  }

  /** The client Service's URL, what applications connect to. */
  public static String clientUrl(EtcdCluster cluster) {
    return url(scheme(cluster), clientServiceHost(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace()),
        CLIENT_PORT);
  }
}
