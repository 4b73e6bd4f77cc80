package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which backup "the latest of a cluster" is: the newest verified, else the newest Succeeded, never a failed drill. */
class LatestBackupTest {

  @Test
  void theNewestVerifiedWinsOverNewerUnverifiedRunsWithFailuresInterleaved() {
    var backups = List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", BackupVerification.Phase.Passed),
        backup("orders-0200", "orders", Phase.Succeeded, "02:00", BackupVerification.Phase.Passed),
        backup("orders-0300", "orders", Phase.Failed, "03:00", null),
        backup("orders-0400", "orders", Phase.Succeeded, "04:00", null),
        backup("orders-0500", "orders", Phase.Skipped, "05:00", null),
        backup("orders-0600", "orders", Phase.Succeeded, "06:00", BackupVerification.Phase.Running),
        backup("orders-0700", "orders", Phase.Running, "07:00", null));

    var choice = LatestBackup.of("orders", backups).orElseThrow();

    assertThat(choice.backup().getMetadata().getName()).isEqualTo("orders-0200");
    assertThat(choice.verified()).isTrue();
  }

  @Test
  void withNoVerifiedBackupTheNewestSucceededIsChosenUnverifiedSkippingFailedDrills() {
    var backups = List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", null),
        backup("orders-0200", "orders", Phase.Succeeded, "02:00", BackupVerification.Phase.Running),
        backup("orders-0300", "orders", Phase.Succeeded, "03:00", BackupVerification.Phase.Failed),
        backup("orders-0400", "orders", Phase.Failed, "04:00", null));

    var choice = LatestBackup.of("orders", backups).orElseThrow();

    assertThat(choice.backup().getMetadata().getName()).as("the failed drill's backup is not one to restore")
        .isEqualTo("orders-0200");
    assertThat(choice.verified()).isFalse();
  }

  @Test
  void newestIsByCompletionTimeNotByName() {
    var backups = List.of(
        backup("z-manual", "orders", Phase.Succeeded, "01:00", null),
        backup("a-manual", "orders", Phase.Succeeded, "02:00", null));

    assertThat(LatestBackup.of("orders", backups).orElseThrow().backup().getMetadata().getName())
        .isEqualTo("a-manual");
  }

  @Test
  void onlyTheNamedClustersBackupsCount() {
    var backups = List.of(
        backup("payments-0500", "payments", Phase.Succeeded, "05:00", BackupVerification.Phase.Passed),
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", null));

    var choice = LatestBackup.of("orders", backups).orElseThrow();

    assertThat(choice.backup().getMetadata().getName()).isEqualTo("orders-0100");
    assertThat(choice.verified()).isFalse();
  }

  @Test
  void noneWhenNothingSucceededOrEveryDrillFailed() {
    assertThat(LatestBackup.of("orders", List.of())).isEmpty();
    assertThat(LatestBackup.of("orders", List.of(
        backup("orders-0100", "orders", Phase.Failed, "01:00", null),
        backup("orders-0200", "orders", Phase.Running, "02:00", null),
        backup("orders-0300", "orders", null, null, null),
        backup("orders-0400", "orders", Phase.Skipped, "04:00", null)))).isEmpty();
    assertThat(LatestBackup.of("orders", List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", BackupVerification.Phase.Failed)))).isEmpty();
  }

  @Test
  void theStatusNamesTheNewestSucceededWhateverItsDrillSaid() {
    var backups = List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", BackupVerification.Phase.Passed),
        backup("orders-0200", "orders", Phase.Succeeded, "02:00", BackupVerification.Phase.Failed),
        backup("orders-0300", "orders", Phase.Failed, "03:00", null),
        backup("payments-0400", "payments", Phase.Succeeded, "04:00", null));

    var last = LatestBackup.newestSucceeded("orders", backups).orElseThrow();

    assertThat(last.getName()).isEqualTo("orders-0200");
    assertThat(last.getCompletionTime()).isEqualTo("2026-12-01T02:00:00Z");
    assertThat(last.getVerification()).isEqualTo("Failed");
    assertThat(LatestBackup.newestSucceeded("orders", List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "01:00", null))).orElseThrow().getVerification()).isNull();
    assertThat(LatestBackup.newestSucceeded("inventory", backups)).isEmpty();
  }

  private static EtcdBackup backup(String name, String cluster, Phase phase, String completed,
      BackupVerification.Phase drill) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setCreationTimestamp("2026-12-01T00:00:00Z");
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(cluster);
    if (phase != null) {
      backup.setStatus(new EtcdBackupStatus());
      backup.getStatus().setPhase(phase);
      if (completed != null) {
        backup.getStatus().setCompletionTime("2026-12-01T" + completed + ":00Z");
      }
      if (drill != null) {
        backup.getStatus().setVerification(new BackupVerification());
        backup.getStatus().getVerification().setPhase(drill);
      }
    }
    return backup;
  }
}
