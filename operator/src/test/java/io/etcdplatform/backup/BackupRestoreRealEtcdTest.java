package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testing.MinioStores;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.MinioServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Snapshots of three real etcd members streamed into a real MinIO, verified, restored into a new cluster. */
class BackupRestoreRealEtcdTest {

  private static final String BUCKET = "backups";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static MinioServer minio;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Path work;
  private EtcdProcessCluster source;
  private MembershipDriver sourceDriver;
  private S3SnapshotStore store;

  @BeforeAll
  static void startMinio() throws Exception {
    minio = MinioServer.start(Path.of("target", "minio").toAbsolutePath());
    minio.createBucket(BUCKET);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  @BeforeEach
  void startSource(TestInfo test) {
    work = Path.of("target", "etcd-tests", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
    source = closing(new EtcdProcessCluster("src", work.resolve("source"), 130, Binaries.etcd("etcd")));
    sourceDriver = closing(new MembershipDriver(source, PlannerSettings.DEFAULTS));
    sourceDriver.converge(3, TIMEOUT);
    store = closing(MinioStores.snapshotStore(minio));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    Directories.deleteAllButLogs(work);
  }

  @Test
  void tenThousandKeysWithLeasesAndRevisionsComeBackInANewCluster() throws Exception {
    long lease;
    Map<String, String> written;
    try (Client client = client(source)) {
      lease = client.getLeaseClient().grant(3600).get(10, TimeUnit.SECONDS).getID();
      written = populate(client, lease);
    }
    ClusterObservation observation = sourceDriver.observe();

    SnapshotBackup.Result backup = backUp(observation, new Location(BUCKET, "src/round-trip.db"));

    assertThat(backup.member()).as("a follower serves the snapshot")
        .isNotEqualTo(observation.leader().orElseThrow().name());
    assertThat(backup.stored().sha256()).hasSize(64);
    assertThat(backup.stored().size()).isGreaterThan(10_000L * 100);

    Path snapshot = work.resolve("dst.db");
    store.download(backup.stored().location(), backup.stored().sha256(), snapshot);
    EtcdProcessCluster restored = restore(snapshot, "dst", 140);
    try (Client client = client(restored)) {
      assertThat(readAll(client)).isEqualTo(written);
      var restoredLease = client.getLeaseClient().timeToLive(lease,
          io.etcd.jetcd.options.LeaseOption.builder().withAttachedKeys().build()).get(10, TimeUnit.SECONDS);
      assertThat(restoredLease.getTTL()).as("the lease lives on in the restored cluster").isPositive();
      assertThat(restoredLease.getKeys()).as("with its keys").hasSize(1_000);
      long sourceId = observation.clusterId();
      long restoredId = client.getClusterClient().listMember().get(10, TimeUnit.SECONDS).getHeader().getClusterId();
      assertThat(restoredId).as("a restored cluster has a new cluster ID").isNotEqualTo(sourceId);
    }
  }

  @Test
  void throughAFileAsTheBackupJobWritesItTheKeysComeBackInANewCluster() throws Exception {
    Map<String, String> written;
    try (Client client = client(source)) {
      written = populate(client, 0);
    }
    var follower = SnapshotBackup.source(sourceDriver.observe()).orElseThrow();
    Path file = work.resolve("claim").resolve("backups/src/nightly.db");
    Path result = work.resolve("termination-log");

    int exit = SnapshotFileCommands.save(Map.of("SNAPSHOT_ENDPOINT", source.clientUrl(follower.name()),
        "SNAPSHOT_FILE", file.toString(), "SNAPSHOT_TIMEOUT_SECONDS", "120", "SNAPSHOT_RESULT_FILE", result.toString()));

    assertThat(exit).isZero();
    var reported = SnapshotFileCommands.parse(Files.readString(result));
    assertThat(reported.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(reported.sha256()).isEqualTo(sha256(file));
    assertThat(file.resolveSibling("nightly.db.partial")).doesNotExist();
    Path snapshot = work.resolve("copied.db");
    SnapshotFiles.copyVerified(Files.newInputStream(file), "pvc://claim/backups/src/nightly.db", reported.sha256(),
        snapshot);
    try (Client client = client(restore(snapshot, "dst", 140))) {
      assertThat(readAll(client)).isEqualTo(written);
    }
  }

  /**
   * The restore init container's own command for each member of a new cluster, from MinIO; the
   * first member's first attempt stops midway, as on a full disk. The attempt after it restores
   * again instead of taking the half-written directory as done.
   */
  @Test
  void aRestoreStoppedMidwayIsRedoneAndTheNewClusterHasEveryKey() throws Exception {
    Map<String, String> written;
    try (Client client = client(source)) {
      written = populate(client, 0);
    }
    SnapshotBackup.Result backup = backUp(sourceDriver.observe(), new Location(BUCKET, "src/redone.db"));
    EtcdProcessCluster restored = closing(new EtcdProcessCluster("dst", work.resolve("dst"), 140,
        Binaries.etcd("etcd")));
    Path firstMemberData = Files.createDirectories(work.resolve("dst")).resolve(restored.name(0)); // the claims

    assertThat(RestoreSnapshot.run(restoreEnv(restored, 0, backup, etcdutlStoppedBeforeTheWal()))).isNotZero();
    for (int i = 0; i < 3; i++) {
      assertThat(RestoreSnapshot.run(restoreEnv(restored, i, backup, Binaries.etcd("etcdutl")))).isZero();
    }

    assertThat(firstMemberData.resolve("member/wal")).as("the first member's restore was redone, WAL and all")
        .isDirectoryContaining(path -> path.getFileName().toString().endsWith(".wal"));
    try (Client client = client(started(restored))) {
      assertThat(readAll(client)).isEqualTo(written);
    }
  }

  @Test
  void backingUpWhileAClientWritesAndReadsFailsNoRequest() throws Exception {
    try (Client client = client(source)) {
      populate(client, 0);
    }
    try (AcknowledgedWrites writes = new AcknowledgedWrites(source.clientUrls())) {
      Thread.sleep(500);
      int before = writes.count();

      backUp(sourceDriver.observe(), new Location(BUCKET, "src/under-load.db"));

      assertThat(writes.count()).as("writes acknowledged during the backup").isGreaterThan(before);
      assertThat(writes.failedAttempts()).as("failed requests").isZero();
      assertThat(writes.stopAndFindMissing()).isEmpty();
    }
  }

  @Test
  void aChangedObjectIsRefusedBeforeRestoring() throws Exception {
    try (Client client = client(source)) {
      populate(client, 0);
    }
    Location location = new Location(BUCKET, "src/flipped.db");
    SnapshotBackup.Result backup = backUp(sourceDriver.observe(), location);
    byte[] object = store.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(location.key())).asByteArray();
    object[object.length / 2] ^= 0x01;
    store.client().putObject(r -> r.bucket(BUCKET).key(location.key()), RequestBody.fromBytes(object));
    Path target = work.resolve("flipped.db");

    assertThatThrownBy(() -> store.download(location, backup.stored().sha256(), target))
        .isInstanceOf(SnapshotCorruptException.class)
        .hasMessageContaining("s3://backups/src/flipped.db").hasMessageContaining("refusing to restore it");
    assertThat(target).doesNotExist();
  }

  @Test
  void aStreamFailingEtcdsIntegrityMarkIsNeverStored() {
    Location location = new Location(BUCKET, "src/damaged.db");
    byte[] noise = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(noise);

    assertThatThrownBy(() -> store.upload(location, out -> out.write(noise)))
        .isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("integrity mark");
    assertThatThrownBy(() -> store.client().headObject(r -> r.bucket(BUCKET).key(location.key())))
        .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
    assertThatThrownBy(() -> store.client().getObject(r -> r.bucket(BUCKET).key(location.key())))
        .isInstanceOf(NoSuchKeyException.class);
  }

  /** What the reconciler does for an S3 destination: choose the member, stream its snapshot. */
  private SnapshotBackup.Result backUp(ClusterObservation observation, Location location) throws Exception {
    var connection = sourceDriver.connection();
    return SnapshotBackup.take(connection, SnapshotBackup.source(connection, observation, source, TIMEOUT), store, location,
        TIMEOUT);
  }

  /** Restores each member's data directory from the verified snapshot with etcdutl, starts the new cluster. */
  private EtcdProcessCluster restore(Path snapshot, String name, int addressBase) throws Exception {
    EtcdProcessCluster cluster = closing(new EtcdProcessCluster(name, work.resolve(name), addressBase,
        Binaries.etcd("etcd")));
    for (int i = 0; i < 3; i++) {
      String member = cluster.name(i);
      Process restore = new ProcessBuilder(SnapshotRestoreCommand.of(Binaries.etcd("etcdutl").toString(),
          snapshot.toString(), member, cluster.peerUrl(member), initialCluster(cluster), name,
          work.resolve(name).resolve(member).toString()))
          .redirectErrorStream(true).redirectOutput(work.resolve(member + "-restore.log").toFile()).start();
      assertThat(restore.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(restore.exitValue()).as(Files.readString(work.resolve(member + "-restore.log"))).isZero();
    }
    return started(cluster);
  }

  /** Starts the members of a new cluster on the data directories restored for them; waits until all are healthy. */
  private EtcdProcessCluster started(EtcdProcessCluster cluster) throws Exception {
    MembershipDriver driver = closing(new MembershipDriver(cluster, PlannerSettings.DEFAULTS));
    var nothingYet = new ClusterObservation(false, 0, List.of(), 0, List.of(), Instant.now());
    cluster.sync(MembershipLayout.of(3, nothingYet, cluster).orElseThrow());
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!(driver.observe().voters().size() == 3 && driver.observe().voters().stream().allMatch(EtcdMemberState::healthy))) {
      assertThat(Instant.now()).as("restored cluster healthy in time").isBefore(deadline);
      Thread.sleep(200);
    }
    return cluster;
  }

  private static String initialCluster(EtcdProcessCluster cluster) {
    return List.of(0, 1, 2).stream().map(i -> cluster.name(i) + "=" + cluster.peerUrl(cluster.name(i)))
        .collect(Collectors.joining(","));
  }

  /** What the restore init container of member {@code ordinal} gets from its StatefulSet, reading from MinIO. */
  private Map<String, String> restoreEnv(EtcdProcessCluster cluster, int ordinal, SnapshotBackup.Result backup,
      Path etcdutl) {
    Map<String, String> env = new HashMap<>(Map.of("POD_NAME", cluster.name(ordinal),
        "RESTORE_DATA_DIR", work.resolve(cluster.cluster()).resolve(cluster.name(ordinal)).toString(),
        "RESTORE_MEMBERS", String.join(",", cluster.name(0), cluster.name(1), cluster.name(2)),
        "RESTORE_SOURCE", backup.stored().location().uri(), "RESTORE_SHA256", backup.stored().sha256(),
        "ETCDUTL", etcdutl.toString(), "ETCD_INITIAL_CLUSTER", initialCluster(cluster),
        "ETCD_INITIAL_CLUSTER_TOKEN", cluster.cluster()));
    env.putAll(Map.of("RESTORE_ENDPOINT", minio.endpoint().toString(), "RESTORE_REGION", MinioServer.REGION,
        "RESTORE_PATH_STYLE", "true", "RESTORE_BUCKET", BUCKET, "RESTORE_KEY", backup.stored().location().key(),
        "AWS_ACCESS_KEY_ID", MinioServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MinioServer.SECRET_KEY));
    return env;
  }

  /** The real etcdutl, but stopped after the database as a full disk would stop it: no WAL, and a failure. */
  private Path etcdutlStoppedBeforeTheWal() throws Exception {
    Path script = work.resolve("etcdutl-stopped-midway");
    Files.writeString(script, """
        #!/bin/sh
        for a in "$@"; do case "$a" in --data-dir=*) d="${a#--data-dir=}";; esac; done
        "%s" "$@" || exit $?
        rm -rf "$d/member/wal"
        echo "write $d/member/wal: no space left on device" >&2
        exit 1
        """.formatted(Binaries.etcd("etcdutl")));
    Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** 10,000 keys; every tenth on the lease (when given), every fifth overwritten twice. */
  private static Map<String, String> populate(Client client, long lease) throws Exception {
    Map<String, String> latest = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      List<java.util.concurrent.CompletableFuture<?>> puts = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        if (round > 0 && i % 5 != 0) {
          continue;
        }
        String key = "key-" + i;
        String value = "value-" + i + "-" + round;
        PutOption option = lease != 0 && i % 10 == 0 ? PutOption.builder().withLeaseId(lease).build() : PutOption.DEFAULT;
        puts.add(client.getKVClient().put(bytes(key), bytes(value), option));
        latest.put(key, value);
        if (puts.size() == 64) {
          for (var put : puts) {
            put.get(10, TimeUnit.SECONDS);
          }
          puts.clear();
        }
      }
      for (var put : puts) {
        put.get(10, TimeUnit.SECONDS);
      }
    }
    return latest;
  }

  private static Map<String, String> readAll(Client client) throws Exception {
    return client.getKVClient().get(bytes("\0"), GetOption.builder().withRange(bytes("\0")).build())
        .get(30, TimeUnit.SECONDS).getKvs().stream()
        .collect(Collectors.toMap(kv -> kv.getKey().toString(StandardCharsets.UTF_8),
            kv -> kv.getValue().toString(StandardCharsets.UTF_8)));
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }

  private static Client client(EtcdProcessCluster cluster) {
    return Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closeables.add(closeable);
    return closeable;
  }
}
