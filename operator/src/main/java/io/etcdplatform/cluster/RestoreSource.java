package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BootstrapSpec.FromBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.kube.ClusterHistory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The snapshot a new cluster starts from: where it is (and with which credentials or claim), and
 * the sha256 it must have, when one is known.
 *
 * @param name what the snapshot is, for messages: "backup X" or its location
 * @param sha256 null when only etcd's integrity mark can be checked
 * @param backup the EtcdBackup's name when the snapshot is one, else null; the restore container
 *     carries it, so that a {@code latestOf} chosen once stays chosen for every member
 */
public record RestoreSource(String name, BackupDestination destination, String key, String sha256, String backup) {

  /** The restore container's variable naming the EtcdBackup restored. */
  static final String BACKUP_ENV = "RESTORE_BACKUP";
  static final String CHOSEN = "RestoreSourceChosen";

  public RestoreSource(String name, BackupDestination destination, String key, String sha256) {
    this(name, destination, key, sha256, null);
  }

  /** Whether a cluster starts from a snapshot, and whether that snapshot can be used yet. */
  public sealed interface Resolution {}

  /** Not restoring: no spec.bootstrap.fromBackup, or the cluster has formed. */
  public record None() implements Resolution {}

  /** @param chosen for latestOf, when this pass chose the backup (none was pinned yet): what to announce */
  public record Ready(RestoreSource source, Optional<String> chosen) implements Resolution {
    public Ready(RestoreSource source) {
      this(source, Optional.empty());
    }
  }

  /** The backup named is missing or has not succeeded: the cluster waits; {@code reason} names the field. */
  public record Waiting(String reason) implements Resolution {}

  public String uri() {
    return BackupKeys.uri(destination, key);
  }

  /** The source of a cluster that starts from a backup and has not formed yet. */
  public static Resolution of(EtcdCluster cluster, KubernetesClient client, Optional<StatefulSet> statefulSet) {
    var bootstrap = cluster.getSpec().getBootstrap();
    if (bootstrap == null || bootstrap.getFromBackup() == null || ClusterHistory.formed(cluster)) {
      return new None();
    }
    var from = bootstrap.getFromBackup();
    if (from.getBackupName() != null) {
      return named(cluster, client, from.getBackupName(), "spec.bootstrap.fromBackup.backupName ");
    }
    if (from.getLatestOf() != null) {
      return latest(cluster, client, from, statefulSet);
    }
    return new Ready(new RestoreSource(BackupKeys.uri(from.getDestination(), from.getKey()), from.getDestination(),
        from.getKey(), from.getSha256()));
  }

  /** The EtcdBackup a StatefulSet's restore container restores, when it restores one. */
  static Optional<String> pinned(Optional<StatefulSet> statefulSet) {
    return statefulSet.map(s -> s.getSpec().getTemplate().getSpec().getInitContainers()).stream()
        .flatMap(containers -> containers.stream())
        .filter(c -> DesiredRestoreContainer.NAME.equals(c.getName()))
        .flatMap(c -> c.getEnv().stream())
        .filter(e -> BACKUP_ENV.equals(e.getName())).map(EnvVar::getValue).findFirst();
  }

  private static Resolution latest(EtcdCluster cluster, KubernetesClient client, FromBackup from,
      Optional<StatefulSet> statefulSet) {
    String field = "spec.bootstrap.fromBackup.latestOf " + from.getLatestOf();
    Optional<String> pinned = pinned(statefulSet);
    if (pinned.isPresent()) { // the members were given this one: they all restore it
      return named(cluster, client, pinned.get(), field + " (chosen earlier) backup ");
    }
    String namespace = cluster.getMetadata().getNamespace();
    var backups = client.resources(EtcdBackup.class).inNamespace(namespace).list().getItems();
    Optional<LatestBackup.Choice> choice = LatestBackup.of(from.getLatestOf(), backups);
    if (choice.isEmpty()) {
      return new Waiting(field + ": no Succeeded EtcdBackup of that cluster in namespace " + namespace
          + " whose restore drill did not fail; the cluster starts once one has succeeded, or name one with "
          + "backupName");
    }
    EtcdBackup backup = choice.get().backup();
    String name = "backup " + backup.getMetadata().getName() + (choice.get().verified()
        ? " (the newest verified backup of " + from.getLatestOf() + ")"
        : " (the newest Succeeded backup of " + from.getLatestOf() + ", unverified: none of its backups passed a "
            + "restore drill)");
    return new Ready(of(name, backup), Optional.of("restoring from " + name));
  }

  private static Resolution named(EtcdCluster cluster, KubernetesClient client, String name, String field) {
    EtcdBackup backup = client.resources(EtcdBackup.class).inNamespace(cluster.getMetadata().getNamespace())
        .withName(name).get();
    if (backup == null) {
      return new Waiting(field + name + ": no EtcdBackup of that name "
          + "in namespace " + cluster.getMetadata().getNamespace() + "; name an existing, Succeeded one");
    }
    if (backup.getStatus() == null || backup.getStatus().getPhase() != Phase.Succeeded) {
      return new Waiting(field + name + ": the backup is "
          + (backup.getStatus() == null ? "Pending" : backup.getStatus().getPhase())
          + ", not Succeeded; the cluster starts once it has succeeded, or name another backup");
    }
    return new Ready(of("backup " + name, backup));
  }

  private static RestoreSource of(String name, EtcdBackup backup) {
    return new RestoreSource(name, backup.getSpec().getDestination(), BackupKeys.of(backup),
        backup.getStatus().getSha256(), backup.getMetadata().getName());
  }
}
