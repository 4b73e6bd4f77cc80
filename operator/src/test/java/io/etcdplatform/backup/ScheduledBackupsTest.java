package io.etcdplatform.backup;

import io.etcdplatform.kube.BackupKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupSchedule.Retention;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledBackupsTest {

  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void aRunIsNamedAfterItsMinuteSoItIsTakenOnce() {
    assertThat(ScheduledBackups.runName("main", Instant.parse("2026-11-27T06:00:00Z"))).isEqualTo("main-20261127-0600");
  }

  @Test
  void theNewestFinishedBackupsAreKeptAndRunningOnesNeverCount() {
    Retention retention = new Retention();
    retention.setMaxCount(2);
    List<EtcdBackup> backups = List.of(backup("b1", 4, Phase.Succeeded), backup("b2", 3, Phase.Failed),
        backup("b3", 2, Phase.Succeeded), backup("b4", 1, Phase.Succeeded), backup("b5", 0, Phase.Running));

    assertThat(ScheduledBackups.expired(backups, retention, NOW)).extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrder("b1", "b2");
  }

  @Test
  void backupsOlderThanTheMaximumAgeGoWhateverTheCount() {
    Retention retention = new Retention();
    retention.setMaxCount(10);
    retention.setMaxAgeHours(3);
    List<EtcdBackup> backups = List.of(backup("old", 4, Phase.Succeeded), backup("recent", 2, Phase.Succeeded));

    assertThat(ScheduledBackups.expired(backups, retention, NOW)).extracting(b -> b.getMetadata().getName())
        .containsExactly("old");
  }

  @Test
  void keysHaveNoEmptySegments() {
    assertThat(BackupKeys.of("", "main", "main-20261127-0600")).isEqualTo("main/main-20261127-0600.db");
    assertThat(BackupKeys.of("/fleet//eu/", "main", "b")).isEqualTo("fleet/eu/main/b.db");
  }

  private static EtcdBackup backup(String name, int hoursAgo, Phase phase) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setCreationTimestamp(NOW.minusSeconds(hoursAgo * 3600L).toString());
    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setPhase(phase);
    return backup;
  }
}
