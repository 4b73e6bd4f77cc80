package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdCredential;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** The one way to reach a cluster's members in Kubernetes, for every reconciler. */
public final class KubernetesAccess {

  private KubernetesAccess() {}

  /**
   * Endpoints: the members the status lists (the last pass that reached etcd recorded them); before
   * the cluster has formed, every initial member.
   */
  public static ClusterAccess of(EtcdCluster cluster) {
    return of(cluster, Optional.empty());
  }

  /** @param tls the operator's client identity, on a TLS cluster */
  public static ClusterAccess of(EtcdCluster cluster, Optional<ClientTls> tls) {
    return of(cluster, tls, Optional.empty());
  }

  /** @param credential the operator's etcd user and password, on a plaintext cluster with auth enabled */
  public static ClusterAccess of(EtcdCluster cluster, Optional<ClientTls> tls, Optional<EtcdCredential> credential) {
    KubernetesMemberAddresses addresses = KubernetesMemberAddresses.of(cluster);
    List<MemberStatus> members = cluster.getStatus() == null ? null : cluster.getStatus().getMembers();
    List<String> names = members != null && !members.isEmpty()
        ? members.stream().map(MemberStatus::getName).toList()
        : IntStream.range(0, Math.max(1, cluster.getSpec().getReplicas())).mapToObj(addresses::name).toList();
    return new ClusterAccess(key(cluster), addresses, names.stream().map(addresses::clientUrl).toList(), tls,
        credential);
  }

  /** {@code namespace/name}. */
  public static String key(EtcdCluster cluster) {
    return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
  }
}
