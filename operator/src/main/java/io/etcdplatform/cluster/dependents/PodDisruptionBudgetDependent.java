package io.etcdplatform.cluster.dependents;

import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.cluster.DesiredObjects;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

@KubernetesDependent(informer = @Informer(labelSelector = ClusterLabels.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends OwnedDependent<PodDisruptionBudget> {

  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class, DesiredObjects::podDisruptionBudget, ClusterNames::podDisruptionBudget);
  }
}
