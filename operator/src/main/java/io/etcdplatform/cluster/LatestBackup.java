package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.LastBackup;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * "The latest backup" of a cluster, for {@code spec.bootstrap.fromBackup.latestOf} (pure): the
 * newest Succeeded EtcdBackup of that cluster whose last restore drill passed, however many newer
 * unverified ones there are; when none passed, the newest Succeeded one not yet drilled (or whose
 * drill runs), marked unverified. A backup whose last drill failed is never chosen: it is not one to
 * restore from (name it with backupName to insist).
 */
final class LatestBackup {

  /** The backup chosen, and whether a restore drill proved it. */
  record Choice(EtcdBackup backup, boolean verified) {}

  private LatestBackup() {}

  static Optional<Choice> of(String clusterName, Collection<EtcdBackup> backups) {
    var succeeded = succeeded(clusterName, backups);
    Optional<EtcdBackup> verified = newest(succeeded, b -> drill(b) == BackupVerification.Phase.Passed);
    if (verified.isPresent()) {
      return verified.map(b -> new Choice(b, true));
    }
    return newest(succeeded, b -> drill(b) != BackupVerification.Phase.Failed).map(b -> new Choice(b, false));
  }

  /** The newest Succeeded backup whatever its drill said, as the cluster's status names it. */
  static Optional<LastBackup> newestSucceeded(String clusterName, Collection<EtcdBackup> backups) {
    return newest(succeeded(clusterName, backups), b -> true).map(b -> new LastBackup(b.getMetadata().getName(),
        completedAt(b).toString(), Optional.ofNullable(drill(b)).map(Enum::name).orElse(null)));
  }

  private static List<EtcdBackup> succeeded(String clusterName, Collection<EtcdBackup> backups) {
    return backups.stream()
        .filter(b -> clusterName.equals(b.getSpec().getClusterName()))
        .filter(b -> b.getStatus() != null && b.getStatus().getPhase() == Phase.Succeeded)
        .toList();
  }

  private static BackupVerification.Phase drill(EtcdBackup backup) {
    BackupVerification verification = backup.getStatus().getVerification();
    return verification == null ? null : verification.getPhase();
  }

  private static Optional<EtcdBackup> newest(Collection<EtcdBackup> backups, Predicate<EtcdBackup> eligible) {
    return backups.stream().filter(eligible)
        .max(Comparator.comparing(LatestBackup::completedAt).thenComparing(b -> b.getMetadata().getName()));
  }

  /** When the snapshot was taken: its completion time, else (never Succeeded without one, but) its creation. */
  private static Instant completedAt(EtcdBackup backup) {
    String time = Optional.ofNullable(backup.getStatus().getCompletionTime())
        .orElse(backup.getMetadata().getCreationTimestamp());
    return time == null ? Instant.EPOCH : Instant.parse(time);
  }
}
