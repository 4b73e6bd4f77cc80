package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.BackupSchedule.Retention;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which finished scheduled backups the retention deletes. Pure. Each finished phase is counted on
 * its own, so failed and skipped runs never push a Succeeded backup out: Succeeded ones beyond
 * {@code maxCount}, Failed ones beyond {@code maxFailedCount}, Skipped ones beyond
 * {@code maxSkippedCount} (newest kept), and any older than {@code maxAgeHours}, except the newest
 * Succeeded backup, which is the one a restore needs on the day nothing else succeeds.
 */
public final class BackupRetention {

  static final Comparator<EtcdBackup> NEWEST_FIRST = Comparator
      .comparing((EtcdBackup b) -> Instant.parse(b.getMetadata().getCreationTimestamp())).reversed()
      .thenComparing(b -> b.getMetadata().getName(), Comparator.reverseOrder());

  private BackupRetention() {}

  public static List<EtcdBackup> expired(List<EtcdBackup> scheduled, Retention retention, Instant now) {
    Instant oldestKept = retention.getMaxAgeHours() == null ? Instant.MIN
        : now.minus(Duration.ofHours(retention.getMaxAgeHours()));
    List<EtcdBackup> expired = new ArrayList<>();
    expired.addAll(beyond(ofPhase(scheduled, Phase.Succeeded), retention.getMaxCount(), oldestKept, 1));
    expired.addAll(beyond(ofPhase(scheduled, Phase.Failed), retention.getMaxFailedCount(), oldestKept, 0));
    expired.addAll(beyond(ofPhase(scheduled, Phase.Skipped), retention.getMaxSkippedCount(), oldestKept, 0));
    return expired;
  }

  /**
   * Of {@code newestFirst}, those past the first {@code maxCount} or created before
   * {@code oldestKept}; the first {@code keptWhateverTheAge} are never too old.
   */
  private static List<EtcdBackup> beyond(List<EtcdBackup> newestFirst, int maxCount, Instant oldestKept,
      int keptWhateverTheAge) {
    List<EtcdBackup> expired = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      EtcdBackup backup = newestFirst.get(i);
      boolean tooMany = i >= maxCount;
      boolean tooOld = i >= keptWhateverTheAge
          && Instant.parse(backup.getMetadata().getCreationTimestamp()).isBefore(oldestKept);
      if (tooMany || tooOld) {
        expired.add(backup);
      }
    }
    return expired;
  }

  private static List<EtcdBackup> ofPhase(List<EtcdBackup> scheduled, Phase phase) {
    return scheduled.stream()
        .filter(b -> b.getStatus() != null && b.getStatus().getPhase() == phase)
        .sorted(NEWEST_FIRST)
        .toList();
  }
}
