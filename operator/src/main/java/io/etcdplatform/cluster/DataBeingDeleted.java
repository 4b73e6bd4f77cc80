package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.KubernetesMemberAddresses;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The members whose data claim is on its way out: deleted (waiting for its pod to go), or owned by
 * its pod, which the StatefulSet does to the claim of a pod it scales down (retention whenScaled:
 * Delete) before it deletes the pod; the garbage collector deletes the claim only some time after
 * the pod is gone. Until then a pod of that name created again would be given this claim.
 */
public final class DataBeingDeleted {

  private DataBeingDeleted() {}

  public static Set<String> of(EtcdCluster cluster, Collection<PersistentVolumeClaim> claims) {
    KubernetesMemberAddresses addresses = KubernetesMemberAddresses.of(cluster);
    return claims.stream()
        .filter(DataBeingDeleted::goingAway)
        .map(claim -> claim.getMetadata().getName())
        .filter(name -> name.startsWith(DesiredStatefulSet.claimOf("")))
        .map(name -> name.substring(DesiredStatefulSet.claimOf("").length()))
        .filter(member -> addresses.ordinal(member).isPresent())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static boolean goingAway(PersistentVolumeClaim claim) {
    return claim.getMetadata().getDeletionTimestamp() != null
        || claim.getMetadata().getOwnerReferences().stream().anyMatch(owner -> "Pod".equals(owner.getKind()));
  }
}
