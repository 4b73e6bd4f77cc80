package io.etcdplatform.cluster.dependents;

import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.cluster.DesiredObjects;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.ConfigMap;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterLabels.MANAGED_SELECTOR))
public class BootstrapConfigMapDependent extends OwnedDependent<ConfigMap> {

  public BootstrapConfigMapDependent() {
    super(ConfigMap.class, DesiredObjects::bootstrapConfigMap, ClusterNames::bootstrapConfigMap);
  }
}
