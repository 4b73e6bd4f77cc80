package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.cluster.StorageExpansion.StorageExpansionException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate: what ends a pass before anything is observed, each with a status a person reads: a paused
 * cluster, a spec the operator refuses, a backup to wait for, claims being expanded.
 */
final class Gates {

  private static final Logger log = LoggerFactory.getLogger(Gates.class);

  /** The pass goes on (restoring from {@code restore} while the cluster forms), or stops with this status. */
  sealed interface Gate {}

  record Open(Optional<RestoreSource> restore) implements Gate {}

  record Closed(EtcdClusterStatus status) implements Gate {}

  Gate check(ClusterPass pass) {
    EtcdCluster cluster = pass.cluster();
    if (Boolean.TRUE.equals(cluster.getSpec().getPaused())) {
      return closed(pass, Phase.Paused, "Paused",
          "spec.paused is true: the operator takes no action; set it to false to resume");
    }
    List<String> problems = SpecValidator.validate(cluster);
    if (!problems.isEmpty()) {
      log.warn("{}/{}: spec refused, no action taken: {}", pass.namespace(), pass.name(), problems);
      return closed(pass, Phase.Invalid, "InvalidSpec", String.join("; ", problems));
    }
    RestoreSource.Resolution restore = RestoreSource.of(cluster, pass.client());
    if (restore instanceof RestoreSource.Waiting waiting) {
      return closed(pass, Phase.Pending, "WaitingForBackup", waiting.reason());
    }
    if (StorageExpansion.isPending(cluster, pass.statefulSet())) {
      return expandStorage(pass);
    }
    return new Open(restore instanceof RestoreSource.Ready ready ? Optional.of(ready.source()) : Optional.empty());
  }

  /** A pass spent growing the claims: the StatefulSet is re-created on the next one. */
  private static Gate expandStorage(ClusterPass pass) {
    EtcdCluster cluster = pass.cluster();
    try {
      StorageExpansion.expand(cluster, pass.client());
    } catch (StorageExpansionException e) {
      return closed(pass, currentPhase(cluster), "StorageExpansionFailed", e.getMessage());
    }
    return new Closed(ClusterStatusCalculator.busyWith(cluster, "ExpandingStorage", "claims expanded to "
        + cluster.getSpec().getStorage().getSize() + "; the StatefulSet is being re-created", pass.now()));
  }

  private static Gate closed(ClusterPass pass, Phase phase, String reason, String message) {
    return new Closed(ClusterStatusCalculator.notActedOn(pass.cluster(), phase, reason, message, pass.now()));
  }

  private static Phase currentPhase(EtcdCluster cluster) {
    return cluster.getStatus() == null || cluster.getStatus().getPhase() == null
        ? Phase.Pending : cluster.getStatus().getPhase();
  }
}
