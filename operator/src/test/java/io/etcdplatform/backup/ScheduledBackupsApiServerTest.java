package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scheduled runs of a cluster whose quorum is lost, against a real kube-apiserver: no kubelet runs
 * here, so no member ever answers, and a cluster whose status records a cluster ID has lost its
 * quorum as far as the operator can tell.
 */
class ScheduledBackupsApiServerTest extends OperatorApiServerTest {

  @Test
  void aRunWhileTheQuorumIsLostIsSkippedWithTheReasonAnEventAndItsCount() throws Exception {
    Edits.edit(clusterWithItsQuorumLost("lost"), c -> {
      c.getSpec().setBackup(everyMinute());
      return c;
    });

    EtcdBackup run = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> finishedRuns("lost"), runs -> !runs.isEmpty()).get(0);

    assertThat(run.getStatus().getPhase()).as(run.getStatus().getMessage()).isEqualTo(Phase.Skipped);
    assertThat(run.getStatus().getMessage()).contains("the quorum of lost is lost")
        .contains("the newest Succeeded backup is kept");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace).list()
        .getItems()).anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("BackupSkipped");
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getInvolvedObject().getName()).isEqualTo(run.getMetadata().getName());
        }));
    assertThat(operator.get("/metrics").body()).containsPattern(
        "etcdplatform_backups_total\\{cluster=\"lost\",namespace=\"" + namespace + "\",result=\"skipped\"} 1");
  }

  /** A cluster whose status records a cluster ID (it formed once), and whose members never answer. */
  private static Resource<EtcdCluster> clusterWithItsQuorumLost(String name) {
    EtcdCluster lost = new EtcdCluster();
    lost.getMetadata().setName(name);
    lost.getMetadata().setNamespace(namespace);
    lost.getSpec().setReplicas(3);
    client.resource(lost).create();
    var cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(name);
    Waits.until(cluster, TIMEOUT, c -> c.getStatus() != null && c.getStatus().getPhase() != null);
    cluster.editStatus(c -> {
      c.getStatus().setClusterId("8e9e05c52164694d");
      return c;
    });
    Waits.until(cluster, TIMEOUT, c -> Conditions.isTrue(c.getStatus().getConditions(), Conditions.DEGRADED)
        && Conditions.QUORUM_LOST.equals(Conditions.find(c.getStatus().getConditions(), Conditions.DEGRADED)
            .getReason()));
    return cluster;
  }

  private static List<EtcdBackup> finishedRuns(String cluster) {
    return client.resources(EtcdBackup.class).inNamespace(namespace)
        .withLabel(ScheduledBackups.CLUSTER_LABEL, cluster).list().getItems().stream()
        .filter(EtcdBackupReconciler::finished).toList();
  }

  private static BackupSchedule everyMinute() {
    S3Destination s3 = new S3Destination();
    s3.setEndpoint("http://127.0.0.1:9");
    s3.setBucket("backups");
    s3.setCredentialsSecret(new S3Destination.CredentialsSecret());
    s3.getCredentialsSecret().setName("s3");
    BackupDestination destination = new BackupDestination();
    destination.setS3(s3);
    BackupSchedule schedule = new BackupSchedule();
    schedule.setSchedule("* * * * *");
    schedule.setDestination(destination);
    return schedule;
  }
}
