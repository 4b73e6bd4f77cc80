package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.kube.ClusterHistory;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The snapshot a new cluster starts from: where it is (and with which credentials or claim), and
 * the sha256 it must have, when one is known.
 *
 * @param name what the snapshot is, for messages: "backup X" or its location
 * @param sha256 null when only etcd's integrity mark can be checked
 */
public record RestoreSource(String name, BackupDestination destination, String key, String sha256) {

  /** Whether a cluster starts from a snapshot, and whether that snapshot can be used yet. */
  public sealed interface Resolution {}

  /** Not restoring: no spec.bootstrap.fromBackup, or the cluster has formed. */
  public record None() implements Resolution {}

  public record Ready(RestoreSource source) implements Resolution {}

  /** The backup named is missing or has not succeeded: the cluster waits; {@code reason} names the field. */
  public record Waiting(String reason) implements Resolution {}

  public String uri() {
    return BackupKeys.uri(destination, key);
  }

  /** The source of a cluster that starts from a backup and has not formed yet. */
  public static Resolution of(EtcdCluster cluster, KubernetesClient client) {
    var bootstrap = cluster.getSpec().getBootstrap();
    if (bootstrap == null || bootstrap.getFromBackup() == null || ClusterHistory.formed(cluster)) {
      return new None();
    }
    var from = bootstrap.getFromBackup();
    if (from.getBackupName() == null) {
      return new Ready(new RestoreSource(BackupKeys.uri(from.getDestination(), from.getKey()), from.getDestination(),
          from.getKey(), from.getSha256()));
    }
    String name = from.getBackupName();
    EtcdBackup backup = client.resources(EtcdBackup.class).inNamespace(cluster.getMetadata().getNamespace())
        .withName(name).get();
    if (backup == null) {
      return new Waiting("spec.bootstrap.fromBackup.backupName " + name + ": no EtcdBackup of that name "
          + "in namespace " + cluster.getMetadata().getNamespace() + "; name an existing, Succeeded one");
    }
    if (backup.getStatus() == null || backup.getStatus().getPhase() != Phase.Succeeded) {
      return new Waiting("spec.bootstrap.fromBackup.backupName " + name + ": the backup is "
          + (backup.getStatus() == null ? "Pending" : backup.getStatus().getPhase())
          + ", not Succeeded; the cluster starts once it has succeeded, or name another backup");
    }
    return new Ready(new RestoreSource("backup " + name, backup.getSpec().getDestination(), BackupKeys.of(backup),
        backup.getStatus().getSha256()));
  }
}
