package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.schedule.Cron;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.backup.verifySchedule: which backup is due for a drill now, and when nothing is. */
class ScheduledDrillsTest {

  private static final Cron SUNDAYS_AT_4 = Cron.parse("0 4 * * 0", "spec.backup.verifySchedule");
  private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");
  /** A Sunday, ten minutes after the due time of 04:00. */
  private static final Instant NOW = Instant.parse("2026-12-06T04:10:00Z");

  @Test
  void theNewestBackupSucceededByTheDueTimeIsDueWithFailuresAndOtherClustersInterleaved() {
    var backups = List.of(
        backup("orders-0100", "orders", Phase.Succeeded, "2026-12-06T01:00:00Z", null, null),
        backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", null, null),
        backup("orders-0300", "orders", Phase.Failed, "2026-12-06T03:00:00Z", null, null),
        backup("orders-0330", "orders", Phase.Skipped, "2026-12-06T03:30:00Z", null, null),
        backup("orders-0400", "orders", Phase.Running, null, null, null),
        backup("payments-0350", "payments", Phase.Succeeded, "2026-12-06T03:50:00Z", null, null),
        backup("orders-0405", "orders", Phase.Succeeded, "2026-12-06T04:05:00Z", null, null));

    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, backups, CREATED, NOW))
        .contains(new ScheduledDrills.Drill("orders-0200", "verifySchedule 20261206-0400"));
  }

  @Test
  void aDueTimeAsksOnceWhetherTheAnnotationIsThereOrTheDrillAnsweredIt() {
    var annotated = backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", null, null);
    annotated.getMetadata().setAnnotations(Map.of(BackupVerifications.ANNOTATION, "verifySchedule 20261206-0400"));
    var answered = backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z",
        BackupVerification.Phase.Passed, "verifySchedule 20261206-0400");

    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(annotated), CREATED, NOW)).isEmpty();
    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(answered), CREATED, NOW)).isEmpty();
    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(answered), CREATED,
        Instant.parse("2026-12-13T04:00:30Z"))).as("the next week's due time finds the newest drilled already: nothing newer to drill")
        .isEmpty();
  }

  @Test
  void theNewestIsNotDrilledAgainWhenItHadADrillOrOneWasAskedFor() {
    for (var drill : BackupVerification.Phase.values()) {
      var drilled = List.of(
          backup("orders-0100", "orders", Phase.Succeeded, "2026-12-06T01:00:00Z", null, null),
          backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", drill, "spec.verify"));
      assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, drilled, CREATED, NOW)).as("%s", drill).isEmpty();
    }
    var everyRun = backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", null, null);
    everyRun.getSpec().setVerify(true);
    var byAPerson = backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", null, null);
    byAPerson.getMetadata().setAnnotations(Map.of(BackupVerifications.ANNOTATION, "1764993600"));

    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(everyRun), CREATED, NOW)).isEmpty();
    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(byAPerson), CREATED, NOW)).isEmpty();
  }

  @Test
  void theNextDueTimeDrillsANewerBackupAndOnlyTheLatestMissedTimeCounts() {
    var backups = List.of(
        backup("orders-w1", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", BackupVerification.Phase.Passed,
            "verifySchedule 20261206-0400"),
        backup("orders-w2", "orders", Phase.Succeeded, "2026-12-13T02:00:00Z", null, null),
        backup("orders-w3", "orders", Phase.Succeeded, "2026-12-20T02:00:00Z", null, null));

    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, backups, CREATED, Instant.parse("2026-12-20T09:00:00Z")))
        .as("an operator down over two due times asks once, at the latest")
        .contains(new ScheduledDrills.Drill("orders-w3", "verifySchedule 20261220-0400"));
  }

  @Test
  void nothingIsDueBeforeTheFirstDueTimeAfterTheClusterWasCreatedOrWithoutASucceededBackup() {
    var backups = List.of(backup("orders-0200", "orders", Phase.Succeeded, "2026-12-06T02:00:00Z", null, null));

    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, backups, Instant.parse("2026-12-06T04:01:00Z"), NOW))
        .isEmpty();
    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(
        backup("orders-0300", "orders", Phase.Failed, "2026-12-06T03:00:00Z", null, null)), CREATED, NOW)).isEmpty();
    assertThat(ScheduledDrills.due("orders", SUNDAYS_AT_4, List.of(), CREATED, NOW)).isEmpty();
  }

  private static EtcdBackup backup(String name, String cluster, Phase phase, String completed,
      BackupVerification.Phase drill, String request) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setCreationTimestamp("2026-11-30T00:00:00Z");
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(cluster);
    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setPhase(phase);
    backup.getStatus().setCompletionTime(completed);
    if (drill != null) {
      backup.getStatus().setVerification(new BackupVerification());
      backup.getStatus().getVerification().setPhase(drill);
      backup.getStatus().getVerification().setRequest(request);
    }
    return backup;
  }
}
