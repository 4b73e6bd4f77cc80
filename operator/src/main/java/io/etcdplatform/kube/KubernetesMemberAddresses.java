package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.MemberAddresses;

/** Members reached through their stable DNS names on the headless peer Service. */
public record KubernetesMemberAddresses(String cluster, String namespace, String scheme) implements MemberAddresses {

  public static KubernetesMemberAddresses of(EtcdCluster cluster) {
    return new KubernetesMemberAddresses(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace(),
        ClusterNames.scheme(cluster));
  }

  @Override
  public String peerUrl(String member) {
    return ClusterNames.url(scheme, host(member), ClusterNames.PEER_PORT);
  }

  @Override
  public String clientUrl(String member) {
    return ClusterNames.url(scheme, host(member), ClusterNames.CLIENT_PORT);
  }

  @Override
  public String metricsUrl(String member) {
    return ClusterNames.url(ClusterNames.METRICS_SCHEME, host(member), ClusterNames.METRICS_PORT);
  }

  private String host(String member) {
    return ClusterNames.memberHost(cluster, namespace, member);
  }
}
