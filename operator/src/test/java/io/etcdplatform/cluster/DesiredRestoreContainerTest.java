package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.cluster.RestoreSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DesiredRestoreContainerTest {

  private final EtcdCluster cluster = cluster("orders", 3);

  @Test
  void theInitialMembersRestoreTheVerifiedSnapshotWithTheStoragesCredentials() {
    var container = DesiredRestoreContainer.build(cluster, "ghcr.io/etcd-platform/etcd-operator:1.0", s3Source())
        .container();
    Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));

    assertThat(container.getImage()).isEqualTo("ghcr.io/etcd-platform/etcd-operator:1.0");
    assertThat(container.getArgs()).containsExactly("restore-snapshot");
    assertThat(env.get("RESTORE_MEMBERS").getValue()).isEqualTo("orders-0,orders-1,orders-2");
    assertThat(env.get("RESTORE_KEY").getValue()).isEqualTo("prod/orders/nightly.db");
    assertThat(env.get("RESTORE_SHA256").getValue()).isEqualTo("ab12");
    assertThat(env.get("RESTORE_SOURCE").getValue()).isEqualTo("s3://backups/prod/orders/nightly.db");
    assertThat(env.get("RESTORE_ETCD_MINOR").getValue()).isEqualTo("3.6");
    assertThat(env.get("RESTORE_DATA_DIR").getValue()).isEqualTo("/var/lib/etcd/data");
    assertThat(env.get("RESTORE_STORAGE_SIZE").getValue()).as("named when the claim is too small").isEqualTo("8Gi");
    assertThat(env.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3");
    assertThat(container.getEnvFrom()).singleElement()
        .satisfies(f -> assertThat(f.getConfigMapRef().getName()).isEqualTo("orders-bootstrap"));
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/var/lib/etcd", "/tmp");
  }

  @Test
  void fromAClaimTheSnapshotIsReadFromTheBackupsClaimMountedReadOnly() {
    BackupDestination destination = new BackupDestination();
    destination.setPvc(new PvcDestination());
    destination.getPvc().setClaimName("etcd-backups");
    var init = DesiredRestoreContainer.build(cluster, "op:1",
        new RestoreSource("pvc://etcd-backups/orders/x.db", destination, "orders/x.db", null));
    Map<String, EnvVar> env = init.container().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));

    assertThat(env.get("RESTORE_FILE").getValue()).isEqualTo("/restore-source/orders/x.db");
    assertThat(env).as("no recorded sha256: only etcd's integrity mark is checked")
        .doesNotContainKeys("RESTORE_SHA256", "RESTORE_ENDPOINT", "AWS_ACCESS_KEY_ID");
    assertThat(init.volumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement().satisfies(v -> {
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("etcd-backups");
      assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
    });
    assertThat(init.container().getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/restore-source");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  @Test
  void theStatefulSetCarriesItOnlyWhenGiven() {
    var restore = DesiredRestoreContainer.build(cluster, "op:1", s3Source());

    var restoring = DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3, Optional.empty(), Optional.of(restore));
    var plain = DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3, Optional.empty());

    assertThat(restoring.getSpec().getTemplate().getSpec().getInitContainers()).extracting(c -> c.getName())
        .containsExactly("restore");
    assertThat(restoring.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName())
        .containsExactly("restore-tmp");
    assertThat(plain.getSpec().getTemplate().getSpec().getInitContainers()).as("empty, never null").isEmpty();
    assertThat(plain.getSpec().getTemplate().getSpec().getVolumes()).as("empty, never null").isEmpty();
  }

  @Test
  void theBackupRestoredIsNamedInTheStatefulSetSoALatestOfChoiceStaysPinned() {
    var source = s3Source();
    var backup = new RestoreSource(source.name(), source.destination(), source.key(), source.sha256(), "orders-0400");
    var restoring = DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3, Optional.empty(),
        Optional.of(DesiredRestoreContainer.build(cluster, "op:1", backup)));
    var byLocation = DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3, Optional.empty(),
        Optional.of(DesiredRestoreContainer.build(cluster, "op:1", source)));

    assertThat(RestoreSource.pinned(Optional.of(restoring))).contains("orders-0400");
    assertThat(RestoreSource.pinned(Optional.of(byLocation))).isEmpty();
    assertThat(RestoreSource.pinned(Optional.of(DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3,
        Optional.empty())))).isEmpty();
    assertThat(RestoreSource.pinned(Optional.empty())).isEmpty();
  }

  private static RestoreSource s3Source() {
    S3Destination s3 = new S3Destination();
    s3.setEndpoint("http://minio:9000");
    s3.setBucket("backups");
    s3.setPrefix("prod");
    s3.setCredentialsSecret(new S3Destination.CredentialsSecret());
    s3.getCredentialsSecret().setName("s3");
    BackupDestination destination = new BackupDestination();
    destination.setS3(s3);
    return new RestoreSource("backup nightly", destination, "prod/orders/nightly.db", "ab12");
  }
}
