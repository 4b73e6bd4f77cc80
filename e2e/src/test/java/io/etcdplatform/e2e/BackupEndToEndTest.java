package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.BootstrapSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.backup.ScheduledBackups;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.e2e.env.OperatorJar;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.MinioServer;
import io.etcdplatform.testkit.Processes;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backups on the local environment into a real MinIO and into a real PersistentVolumeClaim: on
 * demand, on a schedule with its retention, each way one can fail, and restores from each. The
 * operator acts as the chart's service account.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupEndToEndTest {

  private static final String NAMESPACE = "default";
  private static final String BUCKET = "etcd-backups";
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Path OPERATOR_LOG = Path.of("target", "env", "backup-operator.log").toAbsolutePath();
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static MinioServer minio;

  @BeforeAll
  static void start() throws Exception {
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    minio = MinioServer.start(Path.of("target", "backup-minio").toAbsolutePath());
    minio.createBucket(BUCKET);
    operator = OperatorProcess.start(OperatorJar.built(), OperatorProcess.chartServiceAccountKubeconfig(env, work),
        env.agent().hostsFile(), Map.of("HTTP_PORT", "0", "POD_NAMESPACE", OperatorProcess.CHART_NAMESPACE,
            "OPERATOR_IMAGE", "ghcr.io/etcd-platform/etcd-operator:test",
            "PROGRESS_INTERVAL_SECONDS", "2", "HEALTH_INTERVAL_SECONDS", "5", "STORAGE_REQUEST_TIMEOUT_SECONDS", "5",
            "MAX_CONCURRENT_BACKUPS", "1"),
        OPERATOR_LOG);
    secret("minio-credentials", MinioServer.ACCESS_KEY, MinioServer.SECRET_KEY);
    secret("wrong-credentials", MinioServer.ACCESS_KEY, "not-the-secret");
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("backed");
    cluster.getMetadata().setNamespace(NAMESPACE);
    cluster.getSpec().setReplicas(3);
    env.client().resource(cluster).create();
    awaitRunning("backed", 3);
    try (Client client = client("backed")) {
      for (int i = 0; i < 1000; i++) {
        client.getKVClient().put(bytes("key-" + i), bytes("value-" + i)).get(10, TimeUnit.SECONDS);
      }
    }
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
    try (S3Client s3 = minio.client()) {
      byte[] object = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("fleet/backed/now.db")).asByteArray();
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
    create(backup("unreachable", destination("http://127.0.0.1:" + Processes.freeLoopbackPort(), BUCKET, "minio-credentials")));
    create(backup("no-secret", destination(minio.endpoint().toString(), BUCKET, "missing")));
    EtcdBackup noCluster = backup("no-cluster", destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    noCluster.getSpec().setClusterName("absent");
    create(noCluster);
    EtcdCluster down = new EtcdCluster();
    down.getMetadata().setName("down");
    down.getMetadata().setNamespace(NAMESPACE);
    down.getSpec().setReplicas(1);
    down.getSpec().setVersion("3.6.99"); // no such release: its member never runs
    env.client().resource(down).create();
    EtcdBackup memberDown = backup("member-down", destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    memberDown.getSpec().setClusterName("down");
    create(memberDown);

    assertThat(failure("bad-credentials")).contains("refused the credentials").contains("credentialsSecret");
    assertThat(failure("no-bucket")).contains("bucket not-there does not exist").contains("create it");
    assertThat(failure("unreachable")).contains("is unreachable").contains("destination.s3.endpoint");
    assertThat(failure("no-secret")).contains("Secret missing").contains("does not exist in namespace default");
    assertThat(failure("no-cluster")).contains("EtcdCluster absent does not exist").contains("spec.clusterName");
    assertThat(failure("member-down")).contains("no member of down could serve a snapshot")
        .contains("a scheduled backup tries again at its next run");
    // each Event follows its status
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        env.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> "BackupFailed".equals(e.getReason())).hasSizeGreaterThanOrEqualTo(6));
    env.client().resource(down).delete();
  }

  @Test
  @Order(3)
  void scheduledBackupsAppearEachRunAndTheRetentionDeletesTheOldestWithItsSnapshot() throws Exception {
    Edits.edit(env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("backed"), c -> {
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
    List<String> kept = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> succeededScheduled(), names -> !names.contains(oldest) && !names.isEmpty());

    try (S3Client s3 = minio.client()) {
      var keys = s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("fleet/backed/")).contents().stream()
          .map(o -> o.key()).toList();
      assertThat(keys).as("the oldest run's snapshot went with it").doesNotContain("fleet/backed/" + oldest + ".db")
          .contains("fleet/backed/" + kept.get(0) + ".db");
    }
  }

  @Test
  @Order(4)
  void aNewClusterStartsFromTheBackupWithItsDataAndANewClusterId() throws Exception {
    env.client().resource(fromBackup("restored", 3, "now")).create();

    EtcdCluster restored = awaitRunning("restored", 3);
    assertHasTheBackedUpKeys("restored");
    assertThat(restored.getStatus().getClusterId()).isNotEqualTo(cluster().getStatus().getClusterId());
    // the status that records the new cluster ID is written after the pass that saw it form: the
    // pass after it takes the restore out of the template
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
        env.client().apps().statefulSets().inNamespace(NAMESPACE).withName("restored").get().getSpec()
            .getTemplate().getSpec().getInitContainers()).as("the restore is gone once the cluster formed").isEmpty());
  }

  @Test
  @Order(5)
  void aSnapshotChangedInTheBucketIsNeverRestoredAndTheConditionSaysWhy() throws Exception {
    create(backup("to-damage", destination(minio.endpoint().toString(), BUCKET, "minio-credentials")));
    assertThat(awaitFinished("to-damage").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    try (S3Client s3 = minio.client()) {
      String key = "fleet/backed/to-damage.db";
      byte[] object = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
      object[object.length / 2] ^= 0x01;
      s3.putObject(r -> r.bucket(BUCKET).key(key),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(object));
    }

    env.client().resource(fromBackup("refused", 1, "to-damage")).create();

    EtcdCluster refused = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("refused"),
        c -> c.getStatus().getConditions().stream().anyMatch(k -> "RestoreFailed".equals(k.getReason())));
    assertThat(refused.getStatus().getConditions()).filteredOn(k -> "RestoreFailed".equals(k.getReason()))
        .singleElement().satisfies(k -> assertThat(k.getMessage()).contains("restoring backup to-damage failed")
            .contains("s3://" + BUCKET + "/fleet/backed/to-damage.db").contains("refusing to restore it"));
    assertThat(env.client().pods().inNamespace(NAMESPACE).withName("refused-0").get().getStatus().getContainerStatuses())
        .as("etcd never started on it").allMatch(c -> c.getState().getRunning() == null);
  }

  @Test
  @Order(6)
  void throughAClaimTheSnapshotIsWrittenByAJobAndANewClusterStartsFromIt() throws Exception {
    claim("etcd-backups");
    create(backup("to-claim", claimDestination("etcd-backups")));

    EtcdBackup done = awaitFinished("to-claim");

    assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().getLocation()).isEqualTo("pvc://etcd-backups/nightly/backed/to-claim.db");
    assertThat(done.getStatus().getMember()).isNotEqualTo(cluster().getStatus().getLeader());
    assertThat(done.getStatus().getRevision()).isPositive();
    Path file = claimDirectory("etcd-backups").resolve("nightly/backed/to-claim.db");
    byte[] stored = Files.readAllBytes(file);
    assertThat((long) stored.length).isEqualTo(done.getStatus().getSizeBytes());
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
        .isEqualTo(done.getStatus().getSha256());
    await().atMost(TIMEOUT).until(() -> env.client().batch().v1().jobs().inNamespace(NAMESPACE)
        .withName("to-claim-snapshot").get() == null);

    env.client().resource(fromBackup("from-claim", 3, "to-claim")).create();
    EtcdCluster byKey = fromBackup("from-claim-key", 1, null);
    byKey.getSpec().getBootstrap().getFromBackup().setDestination(claimDestination("etcd-backups"));
    byKey.getSpec().getBootstrap().getFromBackup().setKey("nightly/backed/to-claim.db");
    env.client().resource(byKey).create();

    for (String restored : List.of("from-claim", "from-claim-key")) {
      EtcdCluster running = awaitRunning(restored, restored.equals("from-claim") ? 3 : 1);
      assertHasTheBackedUpKeys(restored);
      assertThat(running.getStatus().getClusterId()).isNotEqualTo(cluster().getStatus().getClusterId());
    }
    assertThat(Files.readString(OPERATOR_LOG).lines().filter(l -> l.contains("default/to-claim: snapshot of")))
        .as("the backup was taken once, whatever events its Job sent").hasSize(1);
  }

  @Test
  @Order(7)
  void aMissingClaimFailsAndTheRetentionDeletesClaimSnapshotsWithTheirFiles() throws Exception {
    create(backup("no-claim", claimDestination("not-there")));
    assertThat(failure("no-claim")).contains("PersistentVolumeClaim not-there").contains("create it");

    Edits.edit(env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName("backed"), c -> {
      c.getSpec().getBackup().setDestination(claimDestination("etcd-backups"));
      return c;
    });
    Path snapshots = claimDirectory("etcd-backups").resolve("nightly/backed");
    String first = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> succeededScheduled().stream().filter(n -> Files.exists(snapshots.resolve(n + ".db"))).findFirst(),
            java.util.Optional::isPresent).orElseThrow();

    List<String> kept = await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> succeededScheduled(), names -> !names.contains(first) && !names.isEmpty());
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(snapshots.resolve(first + ".db")).as("the oldest run's file went with it").doesNotExist());
    assertThat(snapshots.resolve(kept.get(0) + ".db")).exists();
  }

  @Test
  @Order(8)
  void backupsBeyondTheStreamLimitWaitSayingWhyThenRun() throws Exception {
    // This operator streams one snapshot at a time (MAX_CONCURRENT_BACKUPS=1). A server that accepts
    // connections and never answers holds that one until the storage deadline.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      create(backup("held", destination("http://127.0.0.1:" + silent.getLocalPort(), BUCKET, "minio-credentials")));
      Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)), backupResource("held"),
          b -> b.getStatus().getPhase() == Phase.Running);
      create(backup("queued", destination(minio.endpoint().toString(), BUCKET, "minio-credentials")));

      EtcdBackup waiting = Waits.until(await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)),
          backupResource("queued"), b -> b.getStatus() != null);
      assertThat(waiting.getStatus().getPhase()).isEqualTo(Phase.Pending);
      assertThat(waiting.getStatus().getMessage())
          .isEqualTo("waiting for one of the 1 snapshots streaming through the operator to finish (MAX_CONCURRENT_BACKUPS)");

      assertThat(awaitFinished("held").getStatus().getPhase()).isEqualTo(Phase.Failed);
      EtcdBackup queued = awaitFinished("queued");
      assertThat(queued.getStatus().getPhase()).as(queued.getStatus().getMessage()).isEqualTo(Phase.Succeeded);
    }
  }

  @Test
  @Order(9)
  void theOperatorWasRefusedNothingByTheChartsRbac() throws Exception {
    assertThat(Files.readString(OPERATOR_LOG))
        .doesNotContainIgnoringCase("forbidden");
  }

  private static void assertHasTheBackedUpKeys(String cluster) throws Exception {
    try (Client client = client(cluster)) {
      var kvs = client.getKVClient().get(bytes("key-"), GetOption.builder().isPrefix(true).build())
          .get(30, TimeUnit.SECONDS).getKvs();
      assertThat(kvs).hasSize(1000);
      assertThat(kvs).allMatch(kv -> kv.getValue().toString(StandardCharsets.UTF_8)
          .equals(kv.getKey().toString(StandardCharsets.UTF_8).replace("key-", "value-")));
    }
  }

  private static void claim(String name) {
    env.client().persistentVolumeClaims().inNamespace(NAMESPACE).resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
          .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .build()).create();
  }

  /** Where the node agent keeps the claim's volume. */
  private static Path claimDirectory(String claim) {
    String volume = await().atMost(TIMEOUT).until(() -> env.client().persistentVolumeClaims().inNamespace(NAMESPACE)
        .withName(claim).get().getSpec().getVolumeName(), v -> v != null && !v.isEmpty());
    return Path.of(env.client().persistentVolumes().withName(volume).get().getSpec().getHostPath().getPath());
  }

  private static BackupDestination claimDestination(String claim) {
    PvcDestination pvc = new PvcDestination();
    pvc.setClaimName(claim);
    pvc.setPath("nightly");
    BackupDestination destination = new BackupDestination();
    destination.setPvc(pvc);
    return destination;
  }

  private static EtcdCluster fromBackup(String name, int replicas, String backup) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(NAMESPACE);
    cluster.getSpec().setReplicas(replicas);
    BootstrapSpec bootstrap = new BootstrapSpec();
    bootstrap.setFromBackup(new BootstrapSpec.FromBackup());
    bootstrap.getFromBackup().setBackupName(backup);
    cluster.getSpec().setBootstrap(bootstrap);
    return cluster;
  }

  /** The status that showed every member ready, to assert on (not a later read). */
  private static EtcdCluster awaitRunning(String name, int members) {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name),
        c -> (members + "/" + members).equals(c.getStatus().getReady()));
  }

  /** Through the members' own names, which the hosts file has from the moment their pods run. */
  private static Client client(String cluster) {
    int replicas = env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(cluster).get().getSpec()
        .getReplicas();
    return Client.builder().endpoints(java.util.stream.IntStream.range(0, replicas).mapToObj(i -> URI.create(
        "http://" + cluster + "-" + i + "." + cluster + "-peer." + NAMESPACE + ".svc:2379")).toList()).build();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
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
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)), backupResource(name),
        b -> b.getStatus().getPhase() == Phase.Succeeded || b.getStatus().getPhase() == Phase.Failed);
  }

  private static Resource<EtcdBackup> backupResource(String name) {
    return env.client().resources(EtcdBackup.class).inNamespace(NAMESPACE).withName(name);
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
}
