package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.BootstrapSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.backup.ScheduledBackups;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.e2e.env.OperatorJar;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.MinioServer;
import io.etcdplatform.testkit.Processes;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
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
  private static final String CLAIMS_OF_AN_EARLIER_CLUSTER = "ClaimsOfAnEarlierCluster";
  /** 40 MiB of values: through the throttled proxy below the snapshot streams for several seconds. */
  private static final int LARGE_VALUES = 80;
  private static final int LARGE_VALUE_BYTES = 512 * 1024;
  /** Per connection; an 8 MiB part still uploads within the operator's 5 s storage deadline. */
  private static final long THROTTLE_BYTES_PER_SECOND = 3L << 20;
  private static final Path OPERATOR_LOG = Path.of("target", "env", "backup-operator.log").toAbsolutePath();
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static MinioServer minio;

  @BeforeAll
  static void start() throws Exception {
    // this JVM's writers resolve Service names whose addresses change with their pods
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    minio = MinioServer.start(Path.of("target", "backup-minio").toAbsolutePath());
    minio.createBucket(BUCKET);
    operator = OperatorProcess.startAsChartAccount(env, work, Map.of(
            "OPERATOR_IMAGE", "ghcr.io/etcd-platform/etcd-operator:test",
            "HEALTH_INTERVAL_SECONDS", "5", "STORAGE_REQUEST_TIMEOUT_SECONDS", "5", "MAX_CONCURRENT_BACKUPS", "1"),
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

  /**
   * The restore drill in its Job (the operator image: etcdutl and etcd of the cluster's release):
   * a good backup passes with the key count and HashKV recorded at save; the same backup, its
   * object then changed in the bucket and a drill asked for by annotation, fails naming the check.
   */
  @Test
  @Order(1)
  void aVerifiedBackupPassesItsRestoreDrillAndATamperedObjectFailsIt() throws Exception {
    EtcdBackup asked = backup("drilled", destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    asked.getSpec().setVerify(true);
    create(asked);

    EtcdBackup passed = awaitVerification("drilled", null);

    var verification = passed.getStatus().getVerification();
    assertThat(verification.getPhase()).as(verification.getMessage()).isEqualTo(BackupVerification.Phase.Passed);
    assertThat(passed.getStatus().getKeys()).as("recorded at save").isGreaterThanOrEqualTo(1000);
    assertThat(verification.getKeys()).isEqualTo(passed.getStatus().getKeys());
    assertThat(verification.getHashKv()).isEqualTo(passed.getStatus().getHashKv()).isNotNull();
    assertThat(verification.getRevision()).isEqualTo(passed.getStatus().getRevision());
    assertThat(passed.getStatus().getConditions()).filteredOn(c -> "Verified".equals(c.getType())).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    awaitEvent("drilled", "Normal", "Verified", "restored and served by etcd");
    await("the Job deleted once its report is recorded").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> env.client().batch().v1().jobs().inNamespace(NAMESPACE).withName("drilled-verify").get() == null);

    try (S3Client s3 = minio.client()) {
      String key = "fleet/backed/drilled.db";
      byte[] object = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray();
      object[object.length / 2] ^= 0x01;
      s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(object));
    }
    // `kubectl etcd verify` asks for the drill with the annotation and follows it: a failed drill exits 1
    Cli.Result drill = kubectl().attempt("etcd", "verify", "drilled", "-n", NAMESPACE, "--timeout", "4m");

    assertThat(drill.exitCode()).as(drill.output()).isEqualTo(1);
    assertThat(drill.output()).contains("verifying drilled: restore drill Failed: stored snapshot check failed")
        .contains("restore drill of drilled FAILED");
    EtcdBackup failed = backupResource("drilled").get();

    verification = failed.getStatus().getVerification();
    assertThat(verification.getPhase()).isEqualTo(BackupVerification.Phase.Failed);
    assertThat(verification.getMessage()).startsWith("stored snapshot check failed").contains("sha256")
        .contains(failed.getStatus().getSha256());
    assertThat(failed.getStatus().getConditions()).filteredOn(c -> "Verified".equals(c.getType())).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("VerificationFailed");
        });
    awaitEvent("drilled", "Warning", "VerificationFailed", "stored snapshot check failed");
    assertThat(failed.getStatus().getPhase()).as("the backup itself stays Succeeded: its record is unchanged")
        .isEqualTo(Phase.Succeeded);
  }

  /** The Event is recorded right after the status it announces. */
  private static void awaitEvent(String backup, String type, String reason, String messageStart) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(events())
        .anyMatch(e -> backup.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
            && type.equals(e.getType()) && e.getMessage().startsWith(messageStart)));
  }

  /** The backup once its drill for {@code request} (any, when null) finished. */
  private static EtcdBackup awaitVerification(String name, String request) {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)), backupResource(name),
        b -> b.getStatus() != null && b.getStatus().getVerification() != null
            && (request == null || request.equals(b.getStatus().getVerification().getRequest()))
            && b.getStatus().getVerification().getPhase() != BackupVerification.Phase.Running);
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
    // `kubectl etcd backup` to where the cluster's newest backup went, then `restore --into` a new
    // cluster, each followed to its end
    Cli.Result backup = kubectl().attempt("etcd", "backup", "backed", "--name", "by-plugin", "-n", NAMESPACE,
        "--timeout", "4m");
    assertThat(backup.exitCode()).as(backup.output()).isZero();
    assertThat(backup.output()).contains("EtcdBackup by-plugin succeeded");
    assertThat(backupResource("by-plugin").get().getSpec().getDestination().getS3().getEndpoint())
        .isEqualTo(minio.endpoint().toString());
    Cli.Result restore = kubectl().attempt("etcd", "restore", "by-plugin", "--into", "restored", "-n", NAMESPACE,
        "--timeout", "4m");
    assertThat(restore.exitCode()).as(restore.output()).isZero();
    assertThat(restore.output()).contains("EtcdCluster restored runs on the data of by-plugin");
    assertThat(kubectl().attempt("etcd", "restore", "by-plugin", "--into", "restored", "-n", NAMESPACE).output())
        .as("never into a cluster that exists").contains("EtcdCluster restored exists already");

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
  void aClusterReCreatedUnderItsNameRefusesTheEarlierClaimsUntilItIsToldToAdoptThem() throws Exception {
    freeTheMachine();
    env.client().resource(newCluster("reborn", 3)).create();
    String firstClusterId = awaitRunning("reborn", 3).getStatus().getClusterId();
    try (Client client = client("reborn")) {
      client.getKVClient().put(bytes("written-before-deletion"), bytes("old data")).get(10, TimeUnit.SECONDS);
    }
    deleteCluster("reborn");

    String uid = env.client().resource(newCluster("reborn", 3)).create().getMetadata().getUid();

    assertRefusedForTheEarlierClaims(awaitCondition("reborn", CLAIMS_OF_AN_EARLIER_CLUSTER), uid);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events())
        .anyMatch(e -> CLAIMS_OF_AN_EARLIER_CLUSTER.equals(e.getReason()) && "Warning".equals(e.getType())
            && uid.equals(e.getInvolvedObject().getUid())));
    assertThat(env.client().apps().statefulSets().inNamespace(NAMESPACE).withName("reborn").get())
        .as("nothing was created").isNull();
    assertThat(memberPods("reborn")).as("no member pod started").isEmpty();

    Edits.edit(clusterResource("reborn"), c -> {
      c.getMetadata().setAnnotations(Map.of("etcdplatform.io/adopt-claims", "true"));
      return c;
    });

    EtcdCluster adopted = awaitRunning("reborn", 3);
    assertThat(adopted.getStatus().getClusterId()).as("the old members, on their data").isEqualTo(firstClusterId);
    try (Client client = client("reborn")) {
      assertThat(client.getKVClient().get(bytes("written-before-deletion")).get(30, TimeUnit.SECONDS).getKvs())
          .singleElement().satisfies(kv -> assertThat(kv.getValue().toString(StandardCharsets.UTF_8))
              .isEqualTo("old data"));
    }
    deleteClusterAndClaims("reborn", 3);
  }

  private static void assertRefusedForTheEarlierClaims(EtcdCluster refused, String uid) {
    assertThat(refused.getMetadata().getUid()).isEqualTo(uid);
    assertThat(refused.getStatus().getPhase()).isEqualTo(EtcdClusterStatus.Phase.Pending);
    assertThat(progressing(refused)).satisfies(k -> {
      assertThat(k.getStatus()).isEqualTo("False");
      assertThat(k.getReason()).isEqualTo(CLAIMS_OF_AN_EARLIER_CLUSTER);
      assertThat(k.getMessage()).contains("data-reborn-0, data-reborn-1, data-reborn-2")
          .contains("etcdplatform.io/adopt-claims=true");
    });
  }

  @Test
  @Order(10)
  void aRestoreWhoseEtcdutlFailsMidwayIsRestoreFailedAfterEveryAttemptAndNoMemberServesData() throws Exception {
    freeTheMachine();
    String key = "fleet/crafted/unopenable.db";
    storeUnopenableSnapshot(key);
    EtcdCluster halfRestored = fromBackup("half-restored", 3, null);
    halfRestored.getSpec().getBootstrap().getFromBackup()
        .setDestination(destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    halfRestored.getSpec().getBootstrap().getFromBackup().setKey(key);

    env.client().resource(halfRestored).create();

    // the init container ran again (or waits to): its failure is then read from its lastState
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> restoreRestarts("half-restored-0") >= 1);
    assertThat(progressing(awaitCondition("half-restored", "RestoreFailed"))).satisfies(k -> {
      assertThat(k.getStatus()).isEqualTo("False");
      assertThat(k.getMessage()).contains("etcdutl snapshot restore exited").contains("nothing was restored");
    });
    assertThat(events()).anyMatch(e -> "RestoreFailed".equals(e.getReason())
        && "half-restored".equals(e.getInvolvedObject().getName()));
    for (int i = 0; i < 3; i++) {
      String pod = "half-restored-" + i;
      assertThat(env.client().pods().inNamespace(NAMESPACE).withName(pod).get().getStatus().getContainerStatuses())
          .as("etcd never started on " + pod).allMatch(c -> c.getState().getRunning() == null
              && c.getLastState().getTerminated() == null);
      assertThat(claimDirectory("data-" + pod).resolve("data")).as("no data directory etcd could start on")
          .doesNotExist();
    }
    deleteClusterAndClaims("half-restored", 3);
  }

  /** A real snapshot of backed, made unopenable for etcdutl, its integrity mark sealed again. */
  private static void storeUnopenableSnapshot(String key) throws Exception {
    create(backup("to-break", destination(minio.endpoint().toString(), BUCKET, "minio-credentials")));
    assertThat(awaitFinished("to-break").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    try (S3Client s3 = minio.client()) {
      byte[] good = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("fleet/backed/to-break.db")).asByteArray();
      s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(UnopenableSnapshot.of(good)));
    }
  }

  @Test
  @Order(11)
  void whileTheQuorumIsLostScheduledRunsAreSkippedAndTheLastGoodBackupOutlivesThem() throws Exception {
    schedule(destination(minio.endpoint().toString(), BUCKET, "minio-credentials"));
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
        .until(() -> succeededScheduledInS3(), names -> !names.isEmpty());
    List<List<String>> seen = new CopyOnWriteArrayList<>();
    String good;
    List<EtcdBackup> skipped;
    try (StoppedMembers stopped = StoppedMembers.stop(env.agent(), NAMESPACE, List.of("backed-1", "backed-2"))) {
      good = newestGoodBackupOnceTheQuorumIsLost();
      skipped = awaitNewSkippedRuns(2, seen);
      assertThat(succeededScheduled()).as("the last good backup outlives the skipped runs").containsExactly(good);
      assertThat(storedKeys()).contains("fleet/backed/" + good + ".db");
    }
    for (EtcdBackup run : skipped) {
      assertThat(run.getStatus().getMessage()).contains("the quorum of backed is lost")
          .contains("the newest Succeeded backup is kept");
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events())
        .filteredOn(e -> "BackupSkipped".equals(e.getReason())).extracting(e -> e.getInvolvedObject().getName())
        .containsAll(skipped.stream().map(b -> b.getMetadata().getName()).toList()));

    // once the members run again the next run succeeds, and only then is the good one pushed out
    String next = await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      List<String> succeeded = succeededScheduled();
      seen.add(succeeded);
      return succeeded;
    }, names -> !names.isEmpty() && !names.contains(good)).get(0);
    assertThat(seen).as("a Succeeded backup at every moment").allMatch(names -> !names.isEmpty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(storedKeys())
        .doesNotContain("fleet/backed/" + good + ".db").contains("fleet/backed/" + next + ".db"));
  }

  /**
   * Waits for the status to say the quorum is lost and for the runs taken before to finish (one
   * may still have succeeded meanwhile); returns the newest Succeeded backup then.
   */
  private static String newestGoodBackupOnceTheQuorumIsLost() {
    Waits.until(await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)), clusterResource("backed"),
        c -> c.getStatus().getConditions().stream().anyMatch(k -> "QuorumLost".equals(k.getReason())));
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> scheduledRuns().stream()
        .allMatch(BackupEndToEndTest::finished));
    List<String> succeeded = succeededScheduledInS3();
    return succeeded.get(succeeded.size() - 1);
  }

  /** Runs created from now on that were Skipped, once there are {@code count}; records the Succeeded ones meanwhile. */
  private static List<EtcdBackup> awaitNewSkippedRuns(int count, List<List<String>> seen) {
    Set<String> before = Set.copyOf(scheduledRuns().stream().map(b -> b.getMetadata().getName()).toList());
    return await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      seen.add(succeededScheduled());
      return scheduledRuns().stream().filter(b -> !before.contains(b.getMetadata().getName())
          && b.getStatus() != null && b.getStatus().getPhase() == Phase.Skipped).toList();
    }, runs -> runs.size() >= count);
  }

  @Test
  @Order(12)
  void aDefragmentationRoundWaitsForALargeBackupAndNoClientRequestFails() throws Exception {
    stopSchedule();
    writeLargeValues(LARGE_VALUES, LARGE_VALUE_BYTES);
    AcknowledgedWrites writes = new AcknowledgedWrites(List.of("http://backed-client." + NAMESPACE + ".svc:2379"));
    try (writes; ThrottledProxy slow = ThrottledProxy.start(minio.endpoint(), THROTTLE_BYTES_PER_SECOND)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writes.count() > 10);
      create(backup("large", destination(slow.endpoint().toString(), BUCKET, "minio-credentials")));
      String member = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)),
          backupResource("large"), b -> b.getStatus().getPhase() == Phase.Running).getStatus().getMember();
      Instant requested = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      requestDefragmentation(requested);

      DefragmentationWatch watch = new DefragmentationWatch(requested);
      EtcdBackup large = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(watch::observe,
          BackupEndToEndTest::finished);

      assertThat(large.getStatus().getPhase()).as(large.getStatus().getMessage()).isEqualTo(Phase.Succeeded);
      assertThat(large.getStatus().getSizeBytes()).isGreaterThan((long) LARGE_VALUES * LARGE_VALUE_BYTES);
      assertThat(watch.defragmentedWhileRunning).as("members defragmented while the snapshot was taken").isEmpty();
      assertThat(watch.maintenanceMessages).as("the round said why it waited")
          .anyMatch(m -> m.contains("a snapshot is being taken from " + member + " (EtcdBackup large)"));
      assertEveryMemberDefragmentedAfter(requested, large, member, writes);
      assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
      assertThat(writes.failedAttempts()).as("client requests that failed").isZero();
    }
  }

  private static void assertEveryMemberDefragmentedAfter(Instant requested, EtcdBackup large, String member,
      AcknowledgedWrites writes) {
    EtcdCluster done = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        clusterResource("backed"),
        c -> requested.toString().equals(c.getStatus().getMaintenance().getDefragmentationRequest()));
    Instant completed = Instant.parse(large.getStatus().getCompletionTime());
    var defragmentations = done.getStatus().getMaintenance().getDefragmentations();
    assertThat(defragmentations).filteredOn(d -> !Instant.parse(d.getTime()).isBefore(requested))
        .as("every member defragmented, each after the snapshot").hasSize(3)
        .allMatch(d -> !Instant.parse(d.getTime()).isBefore(completed));
    System.out.printf("[backup-vs-defragmentation] snapshot of %d bytes from %s: %s .. %s; defragmentations %s;"
        + " %d requests, %d failed%n", large.getStatus().getSizeBytes(), member, large.getStatus().getStartTime(),
        large.getStatus().getCompletionTime(), defragmentations.stream()
            .map(d -> d.getMember() + "@" + d.getTime() + "/" + d.getDurationMillis() + "ms").toList(),
        writes.requests(), writes.failedAttempts());
  }

  /**
   * Reads the cluster, then the backup: a defragmentation of the round recorded while the backup
   * still reads Running happened while its snapshot was being taken.
   */
  private static final class DefragmentationWatch {
    private final Instant requested;
    private final List<String> defragmentedWhileRunning = new ArrayList<>();
    private final List<String> maintenanceMessages = new ArrayList<>();

    DefragmentationWatch(Instant requested) {
      this.requested = requested;
    }

    EtcdBackup observe() {
      var maintenance = cluster().getStatus().getMaintenance();
      EtcdBackup backup = backupResource("large").get();
      if (backup.getStatus().getPhase() == Phase.Running && maintenance != null) {
        maintenanceMessages.add(String.valueOf(maintenance.getMessage()));
        if (maintenance.getDefragmentations() != null) {
          maintenance.getDefragmentations().stream().filter(d -> !Instant.parse(d.getTime()).isBefore(requested))
              .forEach(d -> defragmentedWhileRunning.add(d.getMember() + " at " + d.getTime()));
        }
      }
      return backup;
    }
  }

  @Test
  @Order(13)
  void theOperatorWasRefusedNothingByTheChartsRbac() throws Exception {
    assertThat(Files.readString(OPERATOR_LOG))
        .doesNotContainIgnoringCase("forbidden");
  }

  /** The clusters earlier scenarios restored, deleted with their claims: the machine has two cores. */
  private static void freeTheMachine() {
    Map.of("restored", 3, "refused", 1, "from-claim", 3, "from-claim-key", 1)
        .forEach(BackupEndToEndTest::deleteClusterAndClaims);
  }

  private static void deleteClusterAndClaims(String name, int replicas) {
    deleteCluster(name);
    for (int i = 0; i < replicas; i++) {
      env.client().persistentVolumeClaims().inNamespace(NAMESPACE).withName("data-" + name + "-" + i).delete();
    }
  }

  /** Deletes the cluster and waits until its StatefulSet and pods are gone; its claims are retained. */
  private static void deleteCluster(String name) {
    clusterResource(name).delete();
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> clusterResource(name).get() == null
        && env.client().apps().statefulSets().inNamespace(NAMESPACE).withName(name).get() == null
        && memberPods(name).isEmpty());
  }

  private static List<String> memberPods(String cluster) {
    return env.client().pods().inNamespace(NAMESPACE).withLabel(ClusterLabels.INSTANCE, cluster).list().getItems()
        .stream().map(p -> p.getMetadata().getName()).toList();
  }

  private static EtcdCluster newCluster(String name, int replicas) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(NAMESPACE);
    cluster.getSpec().setReplicas(replicas);
    return cluster;
  }

  private static int restoreRestarts(String pod) {
    var status = env.client().pods().inNamespace(NAMESPACE).withName(pod).get().getStatus();
    return status.getInitContainerStatuses().stream().filter(c -> "restore".equals(c.getName()))
        .mapToInt(c -> c.getRestartCount()).findFirst().orElse(0);
  }

  /** A run every minute, keeping one Succeeded backup. */
  private static void schedule(BackupDestination destination) {
    Edits.edit(clusterResource("backed"), c -> {
      BackupSchedule schedule = new BackupSchedule();
      schedule.setSchedule("* * * * *");
      schedule.setDestination(destination);
      schedule.getRetention().setMaxCount(1);
      c.getSpec().setBackup(schedule);
      return c;
    });
  }

  /** No more runs, and none still streaming (one stream at a time in this operator). */
  private static void stopSchedule() {
    Edits.edit(clusterResource("backed"), c -> {
      c.getSpec().setBackup(null);
      return c;
    });
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> scheduledRuns().stream()
        .allMatch(BackupEndToEndTest::finished));
  }

  private static List<EtcdBackup> scheduledRuns() {
    return env.client().resources(EtcdBackup.class).inNamespace(NAMESPACE)
        .withLabels(Map.of(ScheduledBackups.CLUSTER_LABEL, "backed", ScheduledBackups.SCHEDULED_LABEL, "true")).list()
        .getItems();
  }

  private static List<String> succeededScheduledInS3() {
    return scheduledRuns().stream().filter(b -> b.getStatus() != null && b.getStatus().getPhase() == Phase.Succeeded
        && b.getStatus().getLocation().startsWith("s3://")).map(b -> b.getMetadata().getName()).sorted().toList();
  }

  private static List<String> storedKeys() {
    try (S3Client s3 = minio.client()) {
      return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("fleet/backed/")).contents().stream().map(o -> o.key())
          .toList();
    }
  }

  private static void writeLargeValues(int count, int size) throws Exception {
    byte[] value = new byte[size];
    new java.util.Random(14).nextBytes(value);
    try (Client client = client("backed")) {
      for (int i = 0; i < count; i++) {
        client.getKVClient().put(bytes("large-" + i), ByteSequence.from(value)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static void requestDefragmentation(Instant requested) {
    Edits.annotate(clusterResource("backed"), "etcdplatform.io/defragment", requested.toString());
  }

  private static Resource<EtcdCluster> clusterResource(String name) {
    return env.client().resources(EtcdCluster.class).inNamespace(NAMESPACE).withName(name);
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

  private static Cli kubectl() {
    return Cli.kubectlWithPlugin(env.controlPlane().kubeconfig(), Binaries.repositoryRoot(), OperatorJar.built());
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

  private static boolean finished(EtcdBackup backup) {
    return backup.getStatus() != null
        && EnumSet.of(Phase.Succeeded, Phase.Failed, Phase.Skipped).contains(backup.getStatus().getPhase());
  }

  /** The status that shows a condition with this reason, to assert on. */
  private static EtcdCluster awaitCondition(String cluster, String reason) {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)), clusterResource(cluster),
        c -> c.getStatus().getConditions().stream().anyMatch(k -> reason.equals(k.getReason())));
  }

  private static Condition progressing(EtcdCluster cluster) {
    return cluster.getStatus().getConditions().stream().filter(k -> "Progressing".equals(k.getType())).findFirst()
        .orElseThrow();
  }

  private static List<Event> events() {
    return env.client().v1().events().inNamespace(NAMESPACE).list().getItems();
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
