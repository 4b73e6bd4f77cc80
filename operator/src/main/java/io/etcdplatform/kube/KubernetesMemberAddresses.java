package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.MemberAddresses;

/** Members reached through their stable DNS names on the headless peer Service. */
public record KubernetesMemberAddresses(EtcdCluster etcdCluster) implements MemberAddresses {

  @Override
  public String cluster() {
    return etcdCluster.getMetadata().getName();
  }

  @Override
  public String peerUrl(String member) {
    return ClusterNames.peerUrl(etcdCluster, member);
  }

  @Override
  public String clientUrl(String member) {
    return ClusterNames.clientUrl(etcdCluster, member);
  }
}
