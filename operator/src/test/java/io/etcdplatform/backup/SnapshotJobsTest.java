package io.etcdplatform.backup;

import io.etcdplatform.kube.KubernetesAccess;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.PodTemplate;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SnapshotJobsTest {

  @Test
  void theSaveJobSnapshotsOneMemberIntoTheClaimOnceWithinItsDeadline() {
    var job = SnapshotJobs.save(backup("main-20261127-0400"), cluster(), "ghcr.io/etcd-platform/etcd-operator:1.0",
        KubernetesAccess.of(cluster()), "main-1", Duration.ofMinutes(30));
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    Map<String, String> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertThat(job.getMetadata().getName()).isEqualTo("main-20261127-0400-snapshot");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("EtcdBackup");
      assertThat(o.getController()).isTrue();
    });
    assertThat(job.getSpec().getBackoffLimit()).as("one attempt; a schedule tries again at its next run").isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(32 * 60);
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSecurityContext().getFsGroup()).as("may write to the claim").isEqualTo(65532L);
    assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("etcd-backups"));
    assertThat(container.getArgs()).containsExactly("save-snapshot");
    assertThat(env).containsEntry("SNAPSHOT_FILE", "/backup/nightly/main/main-20261127-0400.db")
        .containsEntry("SNAPSHOT_ENDPOINT", "http://main-1.main-peer.db.svc:2379")
        .containsEntry("SNAPSHOT_TIMEOUT_SECONDS", "1800")
        .containsEntry("SNAPSHOT_RESULT_FILE", container.getTerminationMessagePath());
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/backup", "/tmp");
    assertThat(pod.getImagePullSecrets()).as("none unless the cluster names some").isNullOrEmpty();
  }

  @Test
  void onATlsClusterTheSaveJobDialsWithTheOperatorsClientCertificate() {
    EtcdCluster cluster = cluster();
    cluster.getSpec().setTls(new io.etcdplatform.api.v1alpha1.TlsSpec());
    var job = SnapshotJobs.save(backup("main-20261127-0400"), cluster, "op:1", KubernetesAccess.of(cluster), "main-1",
        Duration.ofMinutes(30));
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);

    assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("main-tls-operator"));
    assertThat(container.getVolumeMounts()).filteredOn(m -> "/etc/etcdplatform/operator-tls".equals(m.getMountPath()))
        .singleElement().satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("SNAPSHOT_TLS_DIR", "/etc/etcdplatform/operator-tls"),
            org.assertj.core.groups.Tuple.tuple("SNAPSHOT_ENDPOINT", "https://main-1.main-peer.db.svc:2379"))
        .extracting(t -> (String) t.toArray()[0]).doesNotContain("SNAPSHOT_USER", "SNAPSHOT_PASSWORD");
  }

  @Test
  void withEtcdAuthOnAPlaintextClusterTheSaveJobIsRootByAReferenceToItsPasswordNeverTheValue() {
    EtcdCluster cluster = cluster();
    cluster.getSpec().setAuth(new io.etcdplatform.api.v1alpha1.AuthSpec());
    var before = SnapshotJobs.save(backup("b"), cluster, "op:1", KubernetesAccess.of(cluster), "main-1",
        Duration.ofMinutes(30));
    assertThat(before.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
        .as("etcd refuses to authenticate before auth is on").doesNotContain("SNAPSHOT_USER");

    cluster.setStatus(new io.etcdplatform.api.v1alpha1.EtcdClusterStatus());
    cluster.getStatus().setAuth(new io.etcdplatform.api.v1alpha1.AuthStatus());
    cluster.getStatus().getAuth().setEnabled(true);
    var job = SnapshotJobs.save(backup("b"), cluster, "op:1", KubernetesAccess.of(cluster), "main-1",
        Duration.ofMinutes(30));
    Map<String, EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));

    assertThat(env.get("SNAPSHOT_USER").getValue()).isEqualTo("root");
    assertThat(env.get("SNAPSHOT_PASSWORD").getValue()).isNull();
    assertThat(env.get("SNAPSHOT_PASSWORD").getValueFrom().getSecretKeyRef()).satisfies(ref -> {
      assertThat(ref.getName()).isEqualTo("main-auth-root");
      assertThat(ref.getKey()).isEqualTo("password");
    });
  }

  /** A registry that needs credentials for the etcd image usually needs them for the operator's too. */
  @Test
  void theJobsPullTheOperatorImageWithTheClustersPullSecrets() {
    EtcdCluster cluster = cluster();
    cluster.getSpec().setPodTemplate(new PodTemplate());
    cluster.getSpec().getPodTemplate().setImagePullSecrets(List.of(new LocalObjectReference("registry-credentials")));

    var save = SnapshotJobs.save(backup("main-20261127-0400"), cluster, "op:1",
        KubernetesAccess.of(cluster), "main-0", Duration.ofMinutes(1));
    var delete = SnapshotJobs.delete(backup("main-20261127-0400"), cluster, "op:1");

    for (var job : List.of(save, delete)) {
      assertThat(job.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
          .containsExactly("registry-credentials");
    }
  }

  @Test
  void theDeleteJobRemovesTheSameFile() {
    var job = SnapshotJobs.delete(backup("main-20261127-0400"), cluster(), "op:1");
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(job.getMetadata().getName()).isEqualTo("main-20261127-0400-delete");
    assertThat(container.getArgs()).containsExactly("delete-snapshot");
    assertThat(container.getEnv()).extracting(EnvVar::getValue).contains("/backup/nightly/main/main-20261127-0400.db");
  }

  @Test
  void longBackupNamesGiveJobNamesAndLabelsWithinSixtyThreeCharactersThatStayDistinct() {
    String base = "a-very-long-cluster-name-for-the-payments-team.in-region-eu-west";
    var first = save(backup(base + "-20261127-0400"));
    var second = save(backup(base + "-20261127-0500"));

    assertThat(first.getMetadata().getName()).hasSizeLessThanOrEqualTo(63).endsWith("-snapshot")
        .isNotEqualTo(second.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(first.getMetadata().getLabels().values()).allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(63));
  }

  @Test
  void theVerificationJobReadsTheSnapshotWhereItIsStoredAndComparesWithWhatTheBackupRecorded() {
    EtcdBackup backup = succeeded(backup("main-20261127-0400"));
    EtcdCluster cluster = cluster();
    cluster.getSpec().setVersion("3.5.35");

    var job = SnapshotJobs.verify(backup, cluster, "op:1", "spec.verify", Duration.ofMinutes(30));
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertThat(job.getMetadata().getName()).isEqualTo("main-20261127-0400-verify");
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "backup-verify");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(SnapshotJobs.REQUEST_ANNOTATION, "spec.verify");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(container.getArgs()).containsExactly("verify-snapshot");
    assertThat(env).containsEntry("RESTORE_FILE", "/restore-source/nightly/main/main-20261127-0400.db")
        .containsEntry("RESTORE_SHA256", "ab".repeat(32))
        .containsEntry("VERIFY_REVISION", "812").containsEntry("VERIFY_KEYS", "40")
        .containsEntry("VERIFY_HASH_KV", "3735928559")
        .containsEntry("VERIFY_ETCD_MINOR", "3.5")
        .containsEntry("VERIFY_RESULT_FILE", container.getTerminationMessagePath());
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("VERIFY_ADDRESS")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP"));
    assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getReadOnly()).as("a drill never writes the backup")
            .isTrue());
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/restore-source", "/tmp");
  }

  @Test
  void aVerificationOfAnS3BackupReadsTheBucketWithTheStoragesCredentialsAndNeedsNoClaim() {
    EtcdBackup backup = succeeded(backup("main-20261127-0400"));
    var s3 = new io.etcdplatform.api.v1alpha1.S3Destination();
    s3.setEndpoint("https://s3.example");
    s3.setBucket("etcd");
    s3.setPrefix("nightly");
    s3.setCredentialsSecret(new io.etcdplatform.api.v1alpha1.S3Destination.CredentialsSecret());
    s3.getCredentialsSecret().setName("s3-credentials");
    backup.getSpec().getDestination().setPvc(null);
    backup.getSpec().getDestination().setS3(s3);
    backup.getStatus().setKeys(null);
    backup.getStatus().setHashKv(null);
    EtcdCluster cluster = cluster();
    cluster.getSpec().setVersion("3.6.16");

    var container = SnapshotJobs.verify(backup, cluster, "op:1", "now", Duration.ofMinutes(30)).getSpec().getTemplate()
        .getSpec().getContainers().get(0);

    assertThat(container.getEnv()).extracting(EnvVar::getName).contains("RESTORE_ENDPOINT", "RESTORE_BUCKET",
        "RESTORE_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        .as("what was not recorded is not passed").doesNotContain("VERIFY_KEYS", "VERIFY_HASH_KV", "RESTORE_FILE");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("RESTORE_KEY")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("nightly/main/main-20261127-0400.db"));
  }

  private static EtcdBackup succeeded(EtcdBackup backup) {
    var status = new io.etcdplatform.api.v1alpha1.EtcdBackupStatus();
    status.setPhase(io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase.Succeeded);
    status.setLocation("pvc://etcd-backups/nightly/main/main-20261127-0400.db");
    status.setSha256("ab".repeat(32));
    status.setRevision(812L);
    status.setKeys(40L);
    status.setHashKv(0xDEADBEEFL);
    backup.setStatus(status);
    return backup;
  }

  private static Job save(EtcdBackup backup) {
    return SnapshotJobs.save(backup, cluster(), "op:1", KubernetesAccess.of(cluster()), "main-0",
        Duration.ofMinutes(1));
  }

  private static EtcdCluster cluster() {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("main");
    cluster.getMetadata().setNamespace("db");
    cluster.setSpec(new EtcdClusterSpec());
    return cluster;
  }

  private static EtcdBackup backup(String name) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace("db");
    backup.getMetadata().setUid("uid-1");
    EtcdBackupSpec spec = new EtcdBackupSpec();
    spec.setClusterName("main");
    spec.setDestination(new BackupDestination());
    spec.getDestination().setPvc(new PvcDestination());
    spec.getDestination().getPvc().setClaimName("etcd-backups");
    spec.getDestination().getPvc().setPath("nightly");
    backup.setSpec(spec);
    return backup;
  }
}
