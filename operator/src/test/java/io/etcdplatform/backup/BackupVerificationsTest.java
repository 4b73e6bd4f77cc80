package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupVerificationsTest {

  @Test
  void specVerifyAsksForOneDrillOnceTheBackupSucceeded() {
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Running, true, null, null))).isEmpty();
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Failed, true, null, null))).isEmpty();
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, true, null, null)))
        .contains(BackupVerifications.SCHEDULED);
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, false, null, null))).isEmpty();
  }

  @Test
  void aRunningDrillIsStillPendingAndAFinishedOneIsAnswered() {
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, true, null,
        verification(BackupVerification.Phase.Running, BackupVerifications.SCHEDULED))))
        .contains(BackupVerifications.SCHEDULED);
    for (var done : new BackupVerification.Phase[] {BackupVerification.Phase.Passed, BackupVerification.Phase.Failed}) {
      assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, true, null,
          verification(done, BackupVerifications.SCHEDULED)))).as("a failed drill is not repeated by itself").isEmpty();
    }
  }

  @Test
  void eachNewValueOfTheAnnotationAsksForOneMoreDrill() {
    var passed = verification(BackupVerification.Phase.Passed, "2026-12-02");

    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, false, "2026-12-01", null)))
        .contains("2026-12-01");
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, false, "2026-12-02", passed))).isEmpty();
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, true, "2026-12-03", passed)))
        .contains("2026-12-03");
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Succeeded, true, " ", passed)))
        .as("a blank annotation asks for nothing; spec.verify was answered by the drill on demand").isEmpty();
    assertThat(BackupVerifications.pendingRequest(backup(Phase.Pending, false, "2026-12-01", null)))
        .as("nothing to drill before the snapshot is stored").isEmpty();
  }

  private static BackupVerification verification(BackupVerification.Phase phase, String request) {
    BackupVerification verification = new BackupVerification();
    verification.setPhase(phase);
    verification.setRequest(request);
    return verification;
  }

  private static EtcdBackup backup(Phase phase, boolean verify, String annotation, BackupVerification last) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName("nightly");
    if (annotation != null) {
      backup.getMetadata().setAnnotations(Map.of(BackupVerifications.ANNOTATION, annotation));
    }
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setVerify(verify);
    backup.setStatus(new EtcdBackupStatus());
    backup.getStatus().setPhase(phase);
    backup.getStatus().setVerification(last);
    return backup;
  }
}
