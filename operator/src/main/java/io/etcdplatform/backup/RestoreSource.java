package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The snapshot a new cluster starts from: where it is (and with which credentials or claim), and
 * the sha256 it must have, when one is known.
 *
 * @param name what the snapshot is, for messages: "backup X" or its location
 * @param sha256 null when only etcd's integrity mark can be checked
 */
public record RestoreSource(String name, BackupDestination destination, String key, String sha256) {

  public String uri() {
    return BackupKeys.uri(destination, key);
  }

  /**
   * The source of a cluster that starts from a backup and has not formed yet; empty otherwise.
   *
   * @throws IllegalStateException naming spec.bootstrap.fromBackup and what is wrong with the backup
   */
  public static Optional<RestoreSource> of(EtcdCluster cluster, KubernetesClient client) {
    var bootstrap = cluster.getSpec().getBootstrap();
    boolean formed = cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
    if (bootstrap == null || bootstrap.getFromBackup() == null || formed) {
      return Optional.empty();
    }
    var from = bootstrap.getFromBackup();
    if (from.getBackupName() == null) {
      return Optional.of(new RestoreSource(BackupKeys.uri(from.getDestination(), from.getKey()), from.getDestination(),
          from.getKey(), from.getSha256()));
    }
    String name = from.getBackupName();
    EtcdBackup backup = client.resources(EtcdBackup.class).inNamespace(cluster.getMetadata().getNamespace())
        .withName(name).get();
    if (backup == null) {
      throw new IllegalStateException("spec.bootstrap.fromBackup.backupName " + name + ": no EtcdBackup of that name "
          + "in namespace " + cluster.getMetadata().getNamespace() + "; name an existing, Succeeded one");
    }
    if (backup.getStatus() == null || backup.getStatus().getPhase() != Phase.Succeeded) {
      throw new IllegalStateException("spec.bootstrap.fromBackup.backupName " + name + ": the backup is "
          + (backup.getStatus() == null ? "Pending" : backup.getStatus().getPhase())
          + ", not Succeeded; the cluster starts once it has succeeded, or name another backup");
    }
    return Optional.of(new RestoreSource("backup " + name, backup.getSpec().getDestination(), BackupKeys.of(backup),
        backup.getStatus().getSha256()));
  }
}
