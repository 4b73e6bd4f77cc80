package io.etcdplatform.cluster.dependents;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;

/** spec.podDisruptionBudget.enabled: when false the budget is deleted. */
public class PodDisruptionBudgetEnabled implements Condition<PodDisruptionBudget, EtcdCluster> {

  @Override
  public boolean isMet(DependentResource<PodDisruptionBudget, EtcdCluster> dependentResource,
      EtcdCluster primary, Context<EtcdCluster> context) {
    return Boolean.TRUE.equals(primary.getSpec().getPodDisruptionBudget().getEnabled());
  }
}
