package io.etcdplatform.cluster;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Voluntary evictions may never take the cluster below quorum: minAvailable is the quorum of the
 * voting members that exist, never lower than the quorum of the target size while a change is
 * under way (during 5 -> 3, 3 of the 5 voters must stay, not 2).
 */
public final class DesiredPodDisruptionBudget {

  private DesiredPodDisruptionBudget() {}

  public static PodDisruptionBudget build(EtcdCluster cluster, int votingMembers) {
    int minAvailable = Math.max(ClusterObservation.quorum(votingMembers),
        ClusterObservation.quorum(cluster.getSpec().getReplicas()));
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.podDisruptionBudget(cluster), DesiredStatefulSet.COMPONENT))
        .withNewSpec()
          .withMinAvailable(new IntOrString(minAvailable))
          .withNewSelector().withMatchLabels(ClusterLabels.selector(cluster)).endSelector()
        .endSpec()
        .build();
  }
}
