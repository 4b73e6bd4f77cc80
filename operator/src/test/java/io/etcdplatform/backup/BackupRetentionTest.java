package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupSchedule.Retention;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every retention rule, with failed and skipped runs interleaved with good ones. */
class BackupRetentionTest {

  private static final Instant MIDNIGHT = Instant.parse("2026-11-27T00:00:00Z");

  /** The day: hourly, maxCount 7, quorum lost at 09:00; runs fail (or, once detected, are skipped). */
  @ParameterizedTest
  @EnumSource(value = Phase.class, names = {"Failed", "Skipped"})
  void hourlyWithTheQuorumLostAtNineTheSucceededBackupsAreAllStillThereAtFour(Phase lostRuns) {
    Retention retention = retention(7, null);

    List<EtcdBackup> kept = hourly(retention, 16, hour -> hour < 9 ? Phase.Succeeded : lostRuns);

    assertThat(names(kept, Phase.Succeeded)).as("the 7 newest good backups, none pushed out")
        .containsExactly("h08", "h07", "h06", "h05", "h04", "h03", "h02");
    assertThat(names(kept, lostRuns)).as("the lost runs, within their own bound of 3")
        .containsExactly("h16", "h15", "h14");
  }

  @Test
  void theNewestSucceededBackupIsKeptWhateverItsAgeAndOlderOnesGo() {
    Retention retention = retention(7, 3);

    List<EtcdBackup> kept = hourly(retention, 16, hour -> hour < 9 ? Phase.Succeeded : Phase.Skipped);

    assertThat(names(kept, Phase.Succeeded)).as("8 hours old, older than maxAgeHours, yet the last good one")
        .containsExactly("h08");
    assertThat(names(kept, Phase.Skipped)).containsExactly("h16", "h15", "h14");
  }

  @Test
  void failuresInterleavedWithSuccessesNeverCountTowardMaxCount() {
    Retention retention = retention(3, null);

    List<EtcdBackup> kept = hourly(retention, 11, hour -> hour % 2 == 0 ? Phase.Succeeded : Phase.Failed);

    assertThat(names(kept, Phase.Succeeded)).containsExactly("h10", "h08", "h06");
    assertThat(names(kept, Phase.Failed)).containsExactly("h11", "h09", "h07");
  }

  @Test
  void failedAndSkippedRunsAreKeptWithinTheirOwnBounds() {
    Retention retention = retention(2, null);
    retention.setMaxFailedCount(1);
    retention.setMaxSkippedCount(2);
    List<EtcdBackup> backups = List.of(backup(0, Phase.Succeeded), backup(1, Phase.Failed), backup(2, Phase.Skipped),
        backup(3, Phase.Failed), backup(4, Phase.Skipped), backup(5, Phase.Skipped), backup(6, Phase.Succeeded),
        backup(7, Phase.Succeeded));

    assertThat(BackupRetention.expired(backups, retention, at(7))).extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrder("h00", "h01", "h02");
  }

  @Test
  void noFailedOrSkippedRunIsKeptWhenTheirBoundsAreZero() {
    Retention retention = retention(1, null);
    retention.setMaxFailedCount(0);
    retention.setMaxSkippedCount(0);
    List<EtcdBackup> backups = List.of(backup(0, Phase.Succeeded), backup(1, Phase.Failed), backup(2, Phase.Skipped));

    assertThat(BackupRetention.expired(backups, retention, at(2))).extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrder("h01", "h02");
  }

  @Test
  void oldFailedAndSkippedRunsGoByAgeToo() {
    Retention retention = retention(7, 2);
    List<EtcdBackup> backups = List.of(backup(0, Phase.Failed), backup(1, Phase.Skipped), backup(4, Phase.Succeeded),
        backup(5, Phase.Failed));

    assertThat(BackupRetention.expired(backups, retention, at(5))).extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrder("h00", "h01");
  }

  @Test
  void backupsStillRunningOrPendingAreNeverDeletedNorCounted() {
    Retention retention = retention(1, 1);
    List<EtcdBackup> backups = List.of(backup(0, Phase.Pending), backup(1, Phase.Running), backup(2, null),
        backup(3, Phase.Succeeded), backup(4, Phase.Running));

    assertThat(BackupRetention.expired(backups, retention, at(10))).isEmpty();
  }

  @Test
  void runsOfTheSameMinuteAreOrderedByName() {
    Retention retention = retention(1, null);
    EtcdBackup earlier = backup(0, Phase.Succeeded);
    earlier.getMetadata().setName("main-20261127-0000");
    EtcdBackup later = backup(0, Phase.Succeeded);
    later.getMetadata().setName("main-20261127-0001");

    assertThat(BackupRetention.expired(List.of(later, earlier), retention, at(0))).containsExactly(earlier);
  }

  /** Runs every hour from midnight to {@code lastHour}, the retention applied after each as the reconciler does. */
  private static List<EtcdBackup> hourly(Retention retention, int lastHour, IntFunction<Phase> phaseAt) {
    List<EtcdBackup> kept = new ArrayList<>();
    for (int hour = 0; hour <= lastHour; hour++) {
      kept.add(backup(hour, phaseAt.apply(hour)));
      kept.removeAll(BackupRetention.expired(kept, retention, at(hour)));
    }
    return kept;
  }

  private static List<String> names(List<EtcdBackup> backups, Phase phase) {
    return backups.stream().filter(b -> b.getStatus().getPhase() == phase).sorted(BackupRetention.NEWEST_FIRST)
        .map(b -> b.getMetadata().getName()).toList();
  }

  private static Retention retention(int maxCount, Integer maxAgeHours) {
    Retention retention = new Retention();
    retention.setMaxCount(maxCount);
    retention.setMaxAgeHours(maxAgeHours);
    return retention;
  }

  private static Instant at(int hour) {
    return MIDNIGHT.plus(Duration.ofHours(hour));
  }

  private static EtcdBackup backup(int hour, Phase phase) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(String.format("h%02d", hour));
    backup.getMetadata().setCreationTimestamp(at(hour).toString());
    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setPhase(phase);
    return backup;
  }
}
