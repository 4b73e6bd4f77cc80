package io.etcdplatform.cluster;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** Voluntary evictions may never take the cluster below quorum. */
public final class DesiredPodDisruptionBudget {

  private DesiredPodDisruptionBudget() {}

  public static PodDisruptionBudget build(EtcdCluster cluster) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.podDisruptionBudget(cluster), DesiredStatefulSet.COMPONENT))
        .withNewSpec()
          .withMinAvailable(new IntOrString(ClusterObservation.quorum(cluster.getSpec().getReplicas())))
          .withNewSelector().withMatchLabels(ClusterLabels.selector(cluster)).endSelector()
        .endSpec()
        .build();
  }
}
