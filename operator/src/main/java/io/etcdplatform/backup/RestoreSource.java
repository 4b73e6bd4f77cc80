package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** The verified snapshot a new cluster starts from: where it is, its sha256, and the storage's credentials. */
public record RestoreSource(String backupName, S3Destination s3, String key, String sha256) {

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
    String name = bootstrap.getFromBackup().getBackupName();
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
    S3Destination s3 = backup.getSpec().getDestination().getS3();
    return Optional.of(new RestoreSource(name, s3, BackupKeys.of(s3.getPrefix(), backup.getSpec().getClusterName(), name),
        backup.getStatus().getSha256()));
  }
}
