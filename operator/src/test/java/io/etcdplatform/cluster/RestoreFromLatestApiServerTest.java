package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.BootstrapSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testing.OperatorUnderTest;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * spec.bootstrap.fromBackup.latestOf against a real kube-apiserver: the members' restore container
 * names the newest verified backup of the cluster, not a newer unverified one, and an Event says so.
 */
class RestoreFromLatestApiServerTest extends OperatorApiServerTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void theMembersRestoreTheNewestVerifiedBackupAndAnEventNamesIt() throws Exception {
    operator.close(); // a Succeeded status is the backup controller's to write: recorded while none runs
    succeeded("orders-older", Instant.now().minus(Duration.ofHours(2)), BackupVerification.Phase.Passed);
    succeeded("orders-newer", Instant.now().minus(Duration.ofHours(1)), null);
    succeeded("orders-drill-failed", Instant.now().minus(Duration.ofMinutes(30)), BackupVerification.Phase.Failed);
    EtcdCluster restored = new EtcdCluster();
    restored.getMetadata().setName("restored");
    restored.getMetadata().setNamespace(namespace);
    restored.getSpec().setReplicas(3);
    restored.getSpec().setBootstrap(new BootstrapSpec());
    restored.getSpec().getBootstrap().setFromBackup(new BootstrapSpec.FromBackup());
    restored.getSpec().getBootstrap().getFromBackup().setLatestOf("orders");
    client.resource(restored).create();
    operator = OperatorUnderTest.start(controlPlane, namespace);

    StatefulSet sts = Waits.until(client.apps().statefulSets().inNamespace(namespace).withName("restored"), WAIT,
        s -> true);

    var restore = sts.getSpec().getTemplate().getSpec().getInitContainers().stream()
        .filter(c -> DesiredRestoreContainer.NAME.equals(c.getName())).findFirst().orElseThrow();
    assertThat(restore.getEnv()).filteredOn(e -> RestoreSource.BACKUP_ENV.equals(e.getName()))
        .extracting(EnvVar::getValue).containsExactly("orders-older");
    assertThat(restore.getEnv()).filteredOn(e -> "RESTORE_SOURCE".equals(e.getName())).extracting(EnvVar::getValue)
        .containsExactly("pvc://etcd-backups/orders/orders-older.db");
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo(RestoreSource.CHOSEN);
          assertThat(e.getInvolvedObject().getName()).isEqualTo("restored");
          assertThat(e.getMessage()).isEqualTo("restoring from backup orders-older (the newest verified backup of orders)");
        }));
  }

  private static void succeeded(String name, Instant completed, BackupVerification.Phase drill) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace(namespace);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName("orders");
    backup.getSpec().setDestination(new BackupDestination());
    backup.getSpec().getDestination().setPvc(new PvcDestination());
    backup.getSpec().getDestination().getPvc().setClaimName("etcd-backups");
    client.resource(backup).create();
    client.resources(EtcdBackup.class).inNamespace(namespace).withName(name).editStatus(b -> {
      EtcdBackupStatus status = new EtcdBackupStatus();
      status.setPhase(EtcdBackupStatus.Phase.Succeeded);
      status.setLocation("pvc://etcd-backups/orders/" + name + ".db");
      status.setSha256("ab".repeat(32));
      status.setCompletionTime(completed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      if (drill != null) {
        status.setVerification(new BackupVerification());
        status.getVerification().setPhase(drill);
        status.getVerification().setRequest("spec.verify");
      }
      b.setStatus(status);
      return b;
    });
  }
}
