package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testing.OperatorUnderTest;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status flow of a restore drill against a real kube-apiserver. No kubelet runs here, so the
 * pod the Job controller makes never starts: the test plays the kubelet and the Job controller,
 * giving the drill's Job a pod whose container ended with a report, and the Job its final
 * conditions, as they would.
 */
class BackupVerificationsApiServerTest extends OperatorApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aDrillIsAJobWhoseReportBecomesTheVerificationTheConditionAnEventAndTheMetersAndAnAnnotationAsksAgain()
      throws Exception {
    Resource<EtcdBackup> backup = succeededBackupWithVerify("drilled");

    Job job = Waits.until(client.batch().v1().jobs().inNamespace(namespace).withName("drilled-verify"), WAIT,
        j -> true);
    assertThat(job.getMetadata().getAnnotations()).containsEntry(SnapshotJobs.REQUEST_ANNOTATION,
        BackupVerifications.SCHEDULED);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("verify-snapshot");
    EtcdBackup running = Waits.until(backup, WAIT, b -> b.getStatus().getVerification() != null);
    assertThat(running.getStatus().getVerification().getPhase()).isEqualTo(BackupVerification.Phase.Running);
    assertThat(running.getStatus().getVerification().getRequest()).isEqualTo(BackupVerifications.SCHEDULED);

    finish(job, false, "{\"passed\":false,\"message\":\"HashKV check failed: the restored snapshot hashes to 1 at revision "
        + "812, the source member's hash was 3735928559 (the keys' contents differ)\",\"revision\":812,\"keys\":40,"
        + "\"hashKv\":1,\"etcdPeakRssBytes\":1}");

    EtcdBackup failed = Waits.until(backup, WAIT,
        b -> b.getStatus().getVerification().getPhase() == BackupVerification.Phase.Failed);
    var verification = failed.getStatus().getVerification();
    assertThat(verification.getMessage()).startsWith("HashKV check failed");
    assertThat(verification.getHashKv()).isEqualTo(1);
    assertThat(verification.getCompletionTime()).isNotNull();
    assertThat(failed.getStatus().getPhase()).isEqualTo(EtcdBackupStatus.Phase.Succeeded);
    assertThat(failed.getStatus().getSha256()).as("the backup's own record is kept").isEqualTo("ab".repeat(32));
    assertThat(Conditions.isFalse(failed.getStatus().getConditions(), BackupVerifications.VERIFIED,
        "VerificationFailed")).isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("VerificationFailed");
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getInvolvedObject().getName()).isEqualTo("drilled");
          assertThat(e.getMessage()).startsWith("HashKV check failed");
        }));
    awaitMetric("etcdplatform_backup_verifications_total\\{cluster=\"main\",namespace=\"" + namespace
        + "\",result=\"failure\"} 1");
    await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(namespace).withName("drilled-verify")
        .get() == null);

    Edits.annotate(backup, BackupVerifications.ANNOTATION, "again");

    Job again = Waits.until(client.batch().v1().jobs().inNamespace(namespace).withName("drilled-verify"), WAIT,
        j -> "again".equals(j.getMetadata().getAnnotations().get(SnapshotJobs.REQUEST_ANNOTATION)));
    finish(again, true, "{\"passed\":true,\"message\":\"restored and served by etcd at revision 812\",\"revision\":812,"
        + "\"keys\":40,\"hashKv\":3735928559,\"etcdPeakRssBytes\":1}");
    EtcdBackup passed = Waits.until(backup, WAIT, b -> "again".equals(b.getStatus().getVerification().getRequest())
        && b.getStatus().getVerification().getPhase() == BackupVerification.Phase.Passed);
    assertThat(Conditions.isTrue(passed.getStatus().getConditions(), BackupVerifications.VERIFIED)).isTrue();
    awaitMetric("etcdplatform_backup_last_verified_timestamp_seconds\\{cluster=\"main\",namespace=\"" + namespace
        + "\"} [0-9.E]+");
  }

  @Test
  void aVerifyScheduleAsksTheNewestSucceededBackupForADrillThroughTheAnnotation() throws Exception {
    operator.close();
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("weekly");
    cluster.getMetadata().setNamespace(namespace);
    cluster.getSpec().setReplicas(3);
    BackupSchedule schedule = new BackupSchedule();
    schedule.setSchedule("0 0 1 1 *"); // no run while the test lasts
    schedule.setVerifySchedule("* * * * *");
    schedule.setDestination(claim());
    cluster.getSpec().setBackup(schedule);
    client.resource(cluster).create();
    Resource<EtcdBackup> older = succeeded("weekly-older", "weekly", Instant.now().minus(Duration.ofMinutes(20)));
    Resource<EtcdBackup> newest = succeeded("weekly-newest", "weekly", Instant.now().minus(Duration.ofMinutes(10)));
    operator = OperatorUnderTest.start(controlPlane, namespace);

    EtcdBackup asked = Waits.until(newest, WAIT, b -> b.getMetadata().getAnnotations() != null
        && b.getMetadata().getAnnotations().containsKey(BackupVerifications.ANNOTATION));
    String request = asked.getMetadata().getAnnotations().get(BackupVerifications.ANNOTATION);
    assertThat(request).matches("verifySchedule \\d{8}-\\d{4}");
    Job job = Waits.until(client.batch().v1().jobs().inNamespace(namespace).withName("weekly-newest-verify"), WAIT,
        j -> true);
    assertThat(job.getMetadata().getAnnotations()).containsEntry(SnapshotJobs.REQUEST_ANNOTATION, request);
    finish(job, true, "{\"passed\":true,\"message\":\"restored and served by etcd at revision 812\",\"revision\":812,"
        + "\"keys\":40,\"hashKv\":3735928559,\"etcdPeakRssBytes\":1}");
    EtcdBackup passed = Waits.until(newest, WAIT, b -> b.getStatus().getVerification() != null
        && b.getStatus().getVerification().getPhase() == BackupVerification.Phase.Passed);
    assertThat(passed.getStatus().getVerification().getRequest()).isEqualTo(request);
    assertThat(older.get().getMetadata().getAnnotations()).as("only the newest is drilled")
        .doesNotContainKey(BackupVerifications.ANNOTATION);
    assertThat(older.get().getStatus().getVerification()).isNull();
  }

  private static BackupDestination claim() {
    BackupDestination destination = new BackupDestination();
    destination.setPvc(new PvcDestination());
    destination.getPvc().setClaimName("etcd-backups");
    return destination;
  }

  /** A Succeeded backup of {@code cluster} completed at {@code completed}, recorded while no operator runs. */
  private static Resource<EtcdBackup> succeeded(String name, String cluster, Instant completed) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace(namespace);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(cluster);
    backup.getSpec().setDestination(claim());
    client.resource(backup).create();
    Resource<EtcdBackup> resource = client.resources(EtcdBackup.class).inNamespace(namespace).withName(name);
    resource.editStatus(b -> {
      EtcdBackupStatus status = new EtcdBackupStatus();
      status.setPhase(EtcdBackupStatus.Phase.Succeeded);
      status.setLocation("pvc://etcd-backups/" + cluster + "/" + name + ".db");
      status.setSha256("ab".repeat(32));
      status.setRevision(812L);
      status.setKeys(40L);
      status.setHashKv(3735928559L);
      status.setCompletionTime(completed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      b.setStatus(status);
      return b;
    });
    return resource;
  }

  /** A scrape can time out on a loaded machine: asked again until it shows the series. */
  private static void awaitMetric(String pattern) {
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(operator.get("/metrics").body()).containsPattern(pattern));
  }

  /**
   * A Succeeded backup of the cluster "main": recorded while no operator runs (a Succeeded status
   * is the controller's to write; with it running it would take the snapshot itself first).
   */
  private static Resource<EtcdBackup> succeededBackupWithVerify(String name) throws Exception {
    operator.close();
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("main");
    cluster.getMetadata().setNamespace(namespace);
    cluster.getSpec().setReplicas(3);
    client.resource(cluster).create();
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace(namespace);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName("main");
    backup.getSpec().setVerify(true);
    backup.getSpec().setDestination(new BackupDestination());
    backup.getSpec().getDestination().setPvc(new PvcDestination());
    backup.getSpec().getDestination().getPvc().setClaimName("etcd-backups");
    client.resource(backup).create();
    Resource<EtcdBackup> resource = client.resources(EtcdBackup.class).inNamespace(namespace).withName(name);
    resource.editStatus(b -> {
      EtcdBackupStatus status = new EtcdBackupStatus();
      status.setPhase(EtcdBackupStatus.Phase.Succeeded);
      status.setLocation("pvc://etcd-backups/main/" + name + ".db");
      status.setSha256("ab".repeat(32));
      status.setRevision(812L);
      status.setKeys(40L);
      status.setHashKv(3735928559L);
      b.setStatus(status);
      return b;
    });
    operator = OperatorUnderTest.start(controlPlane, namespace);
    return resource;
  }

  /**
   * What a kubelet and the Job controller would write once the drill's container ended with
   * {@code report}: exit 0 and Complete when it passed, exit 3 and Failed when it did not.
   */
  private static void finish(Job job, boolean passed, String report) {
    Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "-" + job.getMetadata().getUid().substring(0, 5))
          .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("verify").withImage("op:1").endContainer()
        .endSpec().build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(passed ? "Succeeded" : "Failed")
        .addNewContainerStatus()
        .withName("verify").withImage("op:1").withImageID("").withReady(false).withRestartCount(0)
        .withNewState().withNewTerminated().withExitCode(passed ? 0 : 3).withMessage(report)
        .withFinishedAt(Instant.now().toString()).endTerminated().endState().endContainerStatus().build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
    String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).editStatus(j -> {
      if (j.getStatus().getStartTime() == null) {
        j.getStatus().setStartTime(now);
      }
      j.getStatus().setActive(0); // the controller-manager's Job controller counts the pod it made, which never runs
      j.getStatus().setReady(0);
      String reason = passed ? "CompletionsReached" : "BackoffLimitExceeded";
      if (passed) {
        j.getStatus().setSucceeded(1);
        j.getStatus().setCompletionTime(now);
      } else {
        j.getStatus().setFailed(1);
      }
      j.getStatus().setConditions(List.of(
          new JobConditionBuilder().withType(passed ? "SuccessCriteriaMet" : "FailureTarget").withStatus("True")
              .withReason(reason).withLastTransitionTime(now).build(),
          new JobConditionBuilder().withType(passed ? "Complete" : "Failed").withStatus("True").withReason(reason)
              .withLastTransitionTime(now).build()));
      return j;
    });
  }
}
