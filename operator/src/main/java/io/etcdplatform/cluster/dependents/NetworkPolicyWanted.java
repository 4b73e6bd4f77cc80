package io.etcdplatform.cluster.dependents;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.cluster.DesiredObjects;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The cluster has a NetworkPolicy when its builder made one (spec and operator default); otherwise it is deleted. */
public class NetworkPolicyWanted implements Condition<NetworkPolicy, EtcdCluster> {

  @Override
  public boolean isMet(DependentResource<NetworkPolicy, EtcdCluster> dependentResource, EtcdCluster primary,
      Context<EtcdCluster> context) {
    return context.managedWorkflowAndDependentResourceContext().get(DesiredObjects.CONTEXT_KEY, DesiredObjects.class)
        .map(desired -> desired.networkPolicy().isPresent()).orElse(false);
  }
}
