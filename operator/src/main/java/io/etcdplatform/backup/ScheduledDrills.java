package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.schedule.Cron;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * spec.backup.verifySchedule (pure): at each due time of that cron, the newest backup of the cluster
 * that had Succeeded by then gets a restore drill, asked for with the {@value BackupVerifications#ANNOTATION}
 * annotation whose value names the due time (so a due time asks once, whatever the operator's
 * restarts), unless that backup had a drill already (passed, failed or running). Only the latest
 * due time counts, never a catch-up series.
 */
final class ScheduledDrills {

  private static final DateTimeFormatter RUN = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  /** A drill to ask for: the annotation value {@code request} on backup {@code backup}. */
  record Drill(String backup, String request) {}

  private ScheduledDrills() {}

  /** The request of the drill due at {@code time}. */
  static String request(Instant time) {
    return "verifySchedule " + RUN.format(time);
  }

  /**
   * The drill due now, if any.
   *
   * @param backups the EtcdBackups of the namespace (others' are ignored)
   * @param since the cluster's creation: due times before it do not count
   */
  static Optional<Drill> due(String cluster, Cron verifySchedule, Collection<EtcdBackup> backups, Instant since,
      Instant now) {
    Optional<Instant> time = verifySchedule.lastAtOrBefore(now).filter(t -> !t.isBefore(since));
    if (time.isEmpty()) {
      return Optional.empty();
    }
    String request = request(time.get());
    var ofCluster = backups.stream().filter(b -> cluster.equals(b.getSpec().getClusterName())).toList();
    if (ofCluster.stream().anyMatch(b -> asked(b, request))) {
      return Optional.empty();
    }
    Optional<EtcdBackup> newest = ofCluster.stream()
        .filter(b -> b.getStatus() != null && b.getStatus().getPhase() == Phase.Succeeded)
        .filter(b -> !completedAt(b).isAfter(time.get()))
        .max(Comparator.comparing(ScheduledDrills::completedAt).thenComparing(b -> b.getMetadata().getName()));
    return newest.filter(b -> b.getStatus().getVerification() == null && !requested(b))
        .map(b -> new Drill(b.getMetadata().getName(), request));
  }

  private static boolean asked(EtcdBackup backup, String request) {
    BackupVerification last = backup.getStatus() == null ? null : backup.getStatus().getVerification();
    return request.equals(annotation(backup)) || last != null && request.equals(last.getRequest());
  }

  /** A drill asked for already (by a person's annotation or spec.verify) and not started yet. */
  private static boolean requested(EtcdBackup backup) {
    return annotation(backup) != null || Boolean.TRUE.equals(backup.getSpec().getVerify());
  }

  private static String annotation(EtcdBackup backup) {
    var annotations = backup.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(BackupVerifications.ANNOTATION);
  }

  private static Instant completedAt(EtcdBackup backup) {
    return Instant.parse(Objects.requireNonNullElse(backup.getStatus().getCompletionTime(),
        Objects.requireNonNullElse(backup.getMetadata().getCreationTimestamp(), Instant.EPOCH.toString())));
  }
}
