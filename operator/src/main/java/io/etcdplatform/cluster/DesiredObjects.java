package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.members.MembershipLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.etcdplatform.config.NetworkPolicyDefaults;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Optional;

/**
 * Every object a cluster owns, computed once per reconcile by the pure builders and handed to
 * the dependents through the workflow context.
 */
public record DesiredObjects(
    StatefulSet statefulSet,
    Service peerService,
    Service clientService,
    PodDisruptionBudget podDisruptionBudget,
    ConfigMap bootstrapConfigMap,
    Optional<NetworkPolicy> networkPolicy) {

  public static final String CONTEXT_KEY = DesiredObjects.class.getName();

  /**
   * @param layout how many pods the StatefulSet keeps and the bootstrap data of the next member
   * @param restore the restore init container while a cluster starting from a backup forms
   * @param votingMembers the voters that exist (all the initial members while a cluster forms)
   * @param trust the digest of a TLS cluster's trust bundles, on the pod template
   */
  public static DesiredObjects of(EtcdCluster cluster, String defaultImageRepository,
      Optional<StatefulSet> currentStatefulSet, MembershipLayout layout, Optional<DesiredRestoreContainer.Init> restore,
      int votingMembers, NetworkPolicyDefaults networkPolicyDefaults, Optional<String> trust) {
    return new DesiredObjects(
        DesiredStatefulSet.build(cluster, defaultImageRepository, layout.replicas(),
            StorageExpansion.currentClaimSize(currentStatefulSet), restore, trust),
        DesiredServices.peer(cluster),
        DesiredServices.client(cluster),
        DesiredPodDisruptionBudget.build(cluster, votingMembers),
        DesiredBootstrapConfigMap.build(cluster, layout),
        DesiredNetworkPolicy.build(cluster, networkPolicyDefaults));
  }
}
