package io.etcdplatform.cluster.dependents;

import io.etcdplatform.cluster.DesiredObjects;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterLabels.MANAGED_SELECTOR))
public class NetworkPolicyDependent extends OwnedDependent<NetworkPolicy> {

  public NetworkPolicyDependent() {
    super(NetworkPolicy.class, desired -> desired.networkPolicy().orElseThrow(), ClusterNames::networkPolicy);
  }
}
