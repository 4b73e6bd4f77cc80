package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.kube.BackupKeys;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run names, keys and which backups are scheduled; the retention's rules are in {@link BackupRetentionTest}. */
class ScheduledBackupsTest {

  @Test
  void aRunIsNamedAfterItsMinuteSoItIsTakenOnce() {
    assertThat(ScheduledBackups.runName("main", Instant.parse("2026-11-27T06:00:00Z"))).isEqualTo("main-20261127-0600");
  }

  @Test
  void onlyBackupsTheScheduleCreatedAreScheduled() {
    EtcdBackup manual = new EtcdBackup();
    EtcdBackup scheduled = new EtcdBackup();
    scheduled.getMetadata().setLabels(Map.of(ScheduledBackups.SCHEDULED_LABEL, "true"));

    assertThat(ScheduledBackups.isScheduled(manual)).isFalse();
    assertThat(ScheduledBackups.isScheduled(scheduled)).isTrue();
  }

  @Test
  void keysHaveNoEmptySegments() {
    assertThat(BackupKeys.of("", "main", "main-20261127-0600")).isEqualTo("main/main-20261127-0600.db");
    assertThat(BackupKeys.of("/fleet//eu/", "main", "b")).isEqualTo("fleet/eu/main/b.db");
  }
}
