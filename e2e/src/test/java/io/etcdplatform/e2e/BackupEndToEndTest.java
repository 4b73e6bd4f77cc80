package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.backup.ScheduledBackups;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testing.Binaries;
import io.etcdplatform.testing.MinioServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups on the local environment into a real MinIO: on demand, on a schedule with its
 * retention, and each way one can fail. The operator acts as the chart's service account.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupEndToEndTest {

  private static final String NAMESPACE = "default";
  private static final String BUCKET = "etcd-backups";
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static MinioServer minio;

  @BeforeAll
  static void start() throws Exception {
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    minio = MinioServer.start(Path.of("target", "backup-minio").toAbsolutePath());
    minio.createBucket(BUCKET);
    Cli.helm(env.controlPlane().kubeconfig(), Binaries.repositoryRoot(), work.resolve("helm")).run(
        "install", "etcd-operator", "charts/etcd-operator", "--namespace", "etcd-operator", "--create-namespace",
        "--set", "replicaCount=0", "--wait", "--timeout", "2m");
    operator = OperatorProcess.start(OperatorProcess.jar(),
        env.kubeconfigFor("etcd-operator", "etcd-operator", Duration.ofHours(1), work.resolve("operator.kubeconfig")),
        env.agent().hostsFile(), Map.of("HTTP_PORT", "0", "POD_NAMESPACE", "etcd-operator",
            "PROGRESS_INTERVAL_SECONDS", "2", "HEALTH_INTERVAL_SECONDS", "5", "STORAGE_REQUEST_TIMEOUT_SECONDS", "5"),
        work.resolve("backup-operator.log"));
    secret("minio-credentials", MinioServer.ACCESS_KEY, MinioServer.SECRET_KEY);
    secret("wrong-credentials", MinioServer.ACCESS_KEY, "not-the-secret");
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("backed");
    cluster.getMetadata().setNamespace(NAMESPACE);
    cluster.getSpec().setReplicas(3);
    env.client().resource(cluster).create();
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
      EtcdCluster c = env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("backed").get();
      return c.getStatus() != null && "3/3".equals(c.getStatus().getReady());
    });
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (minio != null) {
      minio.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void anOnDemandBackupIsStoredWithTheChecksumItRecords() throws Exception {
    create(backup("now", destination(minio.endpoint().toString(), BUCKET, "minio-credentials")));

    EtcdBackup done = awaitFinished("now");

    assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().getLocation()).isEqualTo("s3://" + BUCKET + "/fleet/backed/now.db");
    assertThat(done.getStatus().getMember()).isNotEqualTo(cluster().getStatus().getLeader());
    assertThat(done.getStatus().getRevision()).isPositive();
    try (var store = minio.store()) {
      byte[] object = store.client().getObjectAsBytes(r -> r.bucket(BUCKET).key("fleet/backed/now.db")).asByteArray();
      assertThat((long) object.length).isEqualTo(done.getStatus().getSizeBytes());
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)))
          .isEqualTo(done.getStatus().getSha256());
    }
  }

  @Test
  @Order(2)
  void eachFailureSaysWhatToDo() throws Exception {
    create(backup("bad-credentials", destination(minio.endpoint().toString(), BUCKET, "wrong-credentials")));
    create(backup("no-bucket", destination(minio.endpoint().toString(), "not-there", "minio-credentials")));
    create(backup("unreachable", destination("http://127.0.0.1:" + closedPort(), BUCKET, "minio-credentials")));
    create(backup("no-secret", destination(minio.endpoint().toString(), BUCKET, "missing")));
    EtcdBackup noCluster = backup("no-cluster", destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    noCluster.getSpec().setClusterName("absent");
    create(noCluster);

    assertThat(failure("bad-credentials")).contains("refused the credentials").contains("credentialsSecret");
    assertThat(failure("no-bucket")).contains("bucket not-there does not exist").contains("create it");
    assertThat(failure("unreachable")).contains("is unreachable").contains("destination.s3.endpoint");
    assertThat(failure("no-secret")).contains("Secret missing").contains("does not exist in namespace default");
    assertThat(failure("no-cluster")).contains("EtcdCluster absent does not exist").contains("spec.clusterName");
    assertThat(env.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> "BackupFailed".equals(e.getReason())).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  @Order(3)
  void scheduledBackupsAppearEachRunAndTheRetentionDeletesTheOldestWithItsSnapshot() throws Exception {
    env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("backed").edit(c -> {
      BackupSchedule schedule = new BackupSchedule();
      schedule.setSchedule("* * * * *");
      schedule.setDestination(destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
      schedule.getRetention().setMaxCount(1);
      c.getSpec().setBackup(schedule);
      return c;
    });

    List<String> first = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> succeededScheduled(), names -> !names.isEmpty());
    String oldest = first.get(0);
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> !succeededScheduled().contains(oldest) && !succeededScheduled().isEmpty());

    try (var store = minio.store()) {
      var keys = store.client().listObjectsV2(r -> r.bucket(BUCKET).prefix("fleet/backed/")).contents().stream()
          .map(o -> o.key()).toList();
      assertThat(keys).as("the oldest run's snapshot went with it").doesNotContain("fleet/backed/" + oldest + ".db")
          .contains("fleet/backed/" + succeededScheduled().get(0) + ".db");
    }
  }

  @Test
  @Order(4)
  void theOperatorWasRefusedNothingByTheChartsRbac() throws Exception {
    assertThat(java.nio.file.Files.readString(Path.of("target", "env", "backup-operator.log").toAbsolutePath()))
        .doesNotContainIgnoringCase("forbidden");
  }

  private static List<String> succeededScheduled() {
    return env.client().resources(EtcdBackup.class).inNamespace(NAMESPACE)
        .withLabels(Map.of(ScheduledBackups.CLUSTER_LABEL, "backed", ScheduledBackups.SCHEDULED_LABEL, "true")).list()
        .getItems().stream().filter(b -> b.getStatus() != null && b.getStatus().getPhase() == Phase.Succeeded)
        .map(b -> b.getMetadata().getName()).sorted().toList();
  }

  private static String failure(String name) {
    EtcdBackup done = awaitFinished(name);
    assertThat(done.getStatus().getPhase()).isEqualTo(Phase.Failed);
    return done.getStatus().getMessage();
  }

  private static EtcdBackup awaitFinished(String name) {
    return await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(
        () -> env.client().resources(EtcdBackup.class).inNamespace(NAMESPACE).withName(name).get(),
        b -> b.getStatus() != null && (b.getStatus().getPhase() == Phase.Succeeded
            || b.getStatus().getPhase() == Phase.Failed));
  }

  private static EtcdCluster cluster() {
    return env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("backed").get();
  }

  private static void create(EtcdBackup backup) {
    env.client().resource(backup).create();
  }

  private static EtcdBackup backup(String name, BackupDestination destination) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace(NAMESPACE);
    EtcdBackupSpec spec = new EtcdBackupSpec();
    spec.setClusterName("backed");
    spec.setDestination(destination);
    backup.setSpec(spec);
    return backup;
  }

  private static BackupDestination destination(String endpoint, String bucket, String secret) {
    S3Destination s3 = new S3Destination();
    s3.setEndpoint(endpoint);
    s3.setBucket(bucket);
    s3.setPrefix("fleet");
    s3.setForcePathStyle(true);
    S3Destination.CredentialsSecret credentials = new S3Destination.CredentialsSecret();
    credentials.setName(secret);
    s3.setCredentialsSecret(credentials);
    BackupDestination destination = new BackupDestination();
    destination.setS3(s3);
    return destination;
  }

  private static void secret(String name, String accessKey, String secretKey) {
    env.client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().addToStringData("accessKeyId", accessKey).addToStringData("secretAccessKey", secretKey).build())
        .create();
  }

  private static int closedPort() throws Exception {
    return PrometheusServer.freePort();
  }
}
