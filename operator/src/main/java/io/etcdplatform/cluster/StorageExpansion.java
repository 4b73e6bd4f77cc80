package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Growing spec.storage.size. A StatefulSet's claim templates are immutable, so the members'
 * claims are expanded in place, then the StatefulSet is deleted without its pods (orphan) and
 * re-created from the spec on the next pass, adopting the running members untouched: no member
 * restarts, and later members get the new size.
 */
public final class StorageExpansion {

  private static final Logger log = LoggerFactory.getLogger(StorageExpansion.class);

  private StorageExpansion() {}

  /** The claim size of the existing StatefulSet, which the desired one must keep. */
  public static Optional<Quantity> currentClaimSize(Optional<StatefulSet> statefulSet) {
    return statefulSet.flatMap(sts -> sts.getSpec().getVolumeClaimTemplates().stream()
        .filter(claim -> DesiredStatefulSet.DATA_VOLUME.equals(claim.getMetadata().getName()))
        .findFirst())
        .map(claim -> claim.getSpec().getResources().getRequests().get("storage"));
  }

  public static boolean isPending(EtcdCluster cluster, Optional<StatefulSet> statefulSet) {
    Quantity wanted = new Quantity(cluster.getSpec().getStorage().getSize());
    return currentClaimSize(statefulSet).map(current -> smaller(current, wanted)).orElse(false);
  }

  /** Expands every bound member claim below the spec, then deletes the StatefulSet, orphaning its pods. */
  public static void expand(EtcdCluster cluster, KubernetesClient client) {
    String namespace = cluster.getMetadata().getNamespace();
    Quantity wanted = new Quantity(cluster.getSpec().getStorage().getSize());
    for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inNamespace(namespace)
        .withLabels(ClusterLabels.selector(cluster)).list().getItems()) {
      Quantity requested = claim.getSpec().getResources().getRequests().get("storage");
      if (!smaller(requested, wanted)) {
        continue;
      }
      if (!"Bound".equals(claim.getStatus() == null ? null : claim.getStatus().getPhase())) {
        log.warn("{}/{}: claim is not bound, so it cannot be expanded; it keeps {}", namespace,
            claim.getMetadata().getName(), requested);
        continue;
      }
      try {
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim.getMetadata().getName())
            .edit(c -> {
              c.getSpec().getResources().getRequests().put("storage", wanted);
              return c;
            });
        log.info("{}/{}: expanded from {} to {}", namespace, claim.getMetadata().getName(), requested, wanted);
      } catch (KubernetesClientException e) {
        throw new StorageExpansionException(claim.getMetadata().getName(), e);
      }
    }
    client.apps().statefulSets().inNamespace(namespace).withName(ClusterNames.statefulSet(cluster))
        .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    log.info("{}/{}: StatefulSet deleted, orphaning its running members, to be re-created with claim size {}", namespace,
        cluster.getMetadata().getName(), wanted);
  }

  private static boolean smaller(Quantity a, Quantity b) {
    return a.getNumericalAmount().compareTo(b.getNumericalAmount()) < 0;
  }

  /** A claim the API server refused to expand, e.g. because its StorageClass does not allow expansion. */
  public static final class StorageExpansionException extends RuntimeException {
    StorageExpansionException(String claim, KubernetesClientException cause) {
      super("cannot expand PersistentVolumeClaim " + claim + " to spec.storage.size: "
          + (cause.getStatus() != null ? cause.getStatus().getMessage() : cause.getMessage())
          + "; use a StorageClass with allowVolumeExpansion: true, or set spec.storage.size back", cause);
    }
  }
}
