package io.etcdplatform.cli;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.kube.Conditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each following command counts as done, and where `kubectl etcd backup` sends a snapshot. */
class KubectlEtcdTest {

  @Test
  void aBackupGoesToSpecBackupElseToWhereTheClustersNewestBackupWent() {
    var cluster = cluster("orders", 3);
    var older = backup("orders-1", "orders", "2026-12-01T00:00:00Z", new BackupDestination());
    var newer = backup("orders-2", "orders", "2026-12-02T00:00:00Z", new BackupDestination());
    var another = backup("payments-9", "payments", "2026-12-03T00:00:00Z", new BackupDestination());

    assertThat(KubectlEtcd.destination(cluster, List.of(older, newer, another))).containsSame(
        newer.getSpec().getDestination());
    assertThat(KubectlEtcd.destination(cluster, List.of(another))).isEmpty();
    cluster.getSpec().setBackup(new BackupSchedule());
    cluster.getSpec().getBackup().setDestination(new BackupDestination());
    assertThat(KubectlEtcd.destination(cluster, List.of(older, newer))).containsSame(
        cluster.getSpec().getBackup().getDestination());
  }

  @Test
  void aBackupIsDoneWhenSucceededAndWithItsDrillWhenTheDrillFinished() {
    var backup = backup("orders-1", "orders", "2026-12-01T00:00:00Z", new BackupDestination());
    assertThat(KubectlEtcd.backupProgress(backup, false).outcome()).isEmpty();

    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setPhase(EtcdBackupStatus.Phase.Failed);
    backup.getStatus().setMessage("bucket not-there does not exist");
    assertThat(KubectlEtcd.backupProgress(backup, false).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isFalse());
    assertThat(KubectlEtcd.backupProgress(backup, false).line()).isEqualTo("Failed: bucket not-there does not exist");

    backup.getStatus().setPhase(EtcdBackupStatus.Phase.Succeeded);
    assertThat(KubectlEtcd.backupProgress(backup, false).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isTrue());
    assertThat(KubectlEtcd.backupProgress(backup, true).outcome()).as("its drill has not run").isEmpty();
    backup.getStatus().setVerification(new BackupVerification());
    backup.getStatus().getVerification().setPhase(BackupVerification.Phase.Passed);
    assertThat(KubectlEtcd.backupProgress(backup, true).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isTrue());
  }

  @Test
  void aDrillAskedForIsDoneOnlyWhenTheOperatorAnsweredThatRequest() {
    var backup = backup("orders-1", "orders", "2026-12-01T00:00:00Z", new BackupDestination());
    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setVerification(new BackupVerification());
    backup.getStatus().getVerification().setPhase(BackupVerification.Phase.Passed);
    backup.getStatus().getVerification().setRequest("earlier");

    assertThat(KubectlEtcd.drillProgress(backup, "now").outcome()).as("the last drill answered another request")
        .isEmpty();
    backup.getStatus().getVerification().setRequest("now");
    backup.getStatus().getVerification().setPhase(BackupVerification.Phase.Failed);
    assertThat(KubectlEtcd.drillProgress(backup, "now").outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isFalse());
  }

  @Test
  void aRestoreIsDoneWhenRunningAndFailedWhenTheRestoreFailed() {
    var restored = cluster("orders-restored", 3);
    assertThat(KubectlEtcd.restoreProgress(restored).outcome()).isEmpty();
    restored.setStatus(new EtcdClusterStatus());
    restored.getStatus().setPhase(EtcdClusterStatus.Phase.Pending);
    restored.getStatus().setConditions(List.of(Conditions.of(Conditions.PROGRESSING, false, "RestoreFailed",
        "restoring backup orders-1 failed", 1)));
    assertThat(KubectlEtcd.restoreProgress(restored).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isFalse());
    restored.getStatus().setConditions(List.of());
    restored.getStatus().setPhase(EtcdClusterStatus.Phase.Running);
    assertThat(KubectlEtcd.restoreProgress(restored).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isTrue());
  }

  @Test
  void aRestoredClusterIsSizedLikeTheBackedUpOneWhenItExists() {
    var source = cluster("orders", 5);
    source.getSpec().setVersion("3.5.35");

    assertThat(KubectlEtcd.specLike(source).getReplicas()).isEqualTo(5);
    assertThat(KubectlEtcd.specLike(source).getVersion()).isEqualTo("3.5.35");
    assertThat(KubectlEtcd.specLike(null).getReplicas()).isEqualTo(3);
  }

  private static EtcdBackup backup(String name, String cluster, String created, BackupDestination destination) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setCreationTimestamp(created);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(cluster);
    backup.getSpec().setDestination(destination);
    return backup;
  }
}
