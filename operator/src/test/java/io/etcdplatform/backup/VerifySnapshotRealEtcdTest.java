package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testing.MinioStores;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.LoopbackLane;
import io.etcdplatform.testkit.MinioServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The restore drill's own command ({@code verify-snapshot}) on snapshots of three real etcd members
 * in a real MinIO, with the real etcdutl and etcd: a good backup passes with the recorded key count
 * and HashKV; an object changed in the bucket, and recorded values the snapshot does not hold, fail
 * naming the check.
 */
class VerifySnapshotRealEtcdTest {

  private static final String BUCKET = "verified";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Path WORK = Path.of("target", "etcd-tests", "VerifySnapshotRealEtcdTest").toAbsolutePath();
  private static MinioServer minio;
  private static EtcdProcessCluster source;
  private static MembershipDriver driver;
  private static S3SnapshotStore store;
  private static SnapshotBackup.Source recorded;
  private static SnapshotBackup.Result backup;
  private static long writtenKeys;

  @BeforeAll
  static void backUpAThreeMemberCluster() throws Exception {
    minio = MinioServer.start(WORK.resolve("minio"));
    minio.createBucket(BUCKET);
    store = MinioStores.snapshotStore(minio);
    source = new EtcdProcessCluster("ver", WORK.resolve("source"), 170, Binaries.etcd("etcd"));
    driver = new MembershipDriver(source, PlannerSettings.DEFAULTS);
    driver.converge(3, TIMEOUT);
    try (Client client = Client.builder().endpoints(source.clientUrls().stream().map(URI::create).toList()).build()) {
      List<CompletableFuture<?>> puts = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        puts.add(client.getKVClient().put(bytes("key-" + i), bytes("value-" + i)));
        if (i % 3 == 0) {
          puts.add(client.getKVClient().put(bytes("key-" + i), bytes("again-" + i))); // revisions beyond the keys
        }
      }
      for (var put : puts) {
        put.get(30, TimeUnit.SECONDS);
      }
      client.getKVClient().delete(bytes("key-0")).get(30, TimeUnit.SECONDS);
    }
    writtenKeys = 1_999;
    var connection = driver.connection();
    recorded = SnapshotBackup.source(connection, driver.observe(), source, TIMEOUT);
    backup = SnapshotBackup.take(connection, recorded, store, new Location(BUCKET, "ver/good.db"), TIMEOUT);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable each : new AutoCloseable[] {store, driver, source, minio}) {
      if (each != null) {
        each.close();
      }
    }
    Directories.deleteAllButLogs(WORK);
  }

  @Test
  void atSaveTheSourceMemberRecordsItsKeyCountAndHashKvAtTheSnapshotsRevision() {
    assertThat(recorded.keys()).isEqualTo(writtenKeys);
    assertThat(recorded.hashKv()).isNotNull();
    assertThat(recorded.revision()).isGreaterThan(2_000);
  }

  @Test
  void aGoodBackupRestoresIntoAThrowawayEtcdThatServesWhatWasRecorded() throws Exception {
    Path result = WORK.resolve("good.json");

    int exit = VerifySnapshot.run(env("good", backup.stored().location().key(), backup.stored().sha256(),
        recorded.revision(), recorded.keys(), recorded.hashKv(), result));

    var report = VerifySnapshot.parse(Files.readString(result));
    assertThat(exit).as(report.message()).isZero();
    assertThat(report.passed()).isTrue();
    assertThat(report.keys()).isEqualTo(writtenKeys);
    assertThat(report.hashKv()).isEqualTo(recorded.hashKv());
    assertThat(report.revision()).isEqualTo(recorded.revision());
    assertThat(report.etcdPeakRssBytes()).as("the throwaway etcd ran").isPositive();
  }

  /** Another valid snapshot (of the same cluster, later) put under the backup's key: the recorded sha256 refuses it. */
  @Test
  void anObjectChangedInTheBucketAfterItWasSavedFailsTheStoredSnapshotCheck() throws Exception {
    Path other = WORK.resolve("other.db");
    SnapshotFiles.save(other, out -> driver.connection().snapshot(recorded.clientUrl(), out, TIMEOUT));
    store.client().putObject(b -> b.bucket(BUCKET).key("ver/tampered.db"), RequestBody.fromFile(other));
    Path result = WORK.resolve("tampered.json");

    int exit = VerifySnapshot.run(env("tampered", "ver/tampered.db", backup.stored().sha256(), recorded.revision(),
        recorded.keys(), recorded.hashKv(), result));

    var report = VerifySnapshot.parse(Files.readString(result));
    assertThat(exit).isEqualTo(VerifySnapshot.FAILED);
    assertThat(report.passed()).isFalse();
    assertThat(report.message()).startsWith("stored snapshot check failed").contains("sha256", backup.stored().sha256());
  }

  /** The snapshot is whole and restores, but it does not hold what the source member recorded. */
  @Test
  void contentsThatDifferFromTheRecordedOnesFailNamingTheCheck() throws Exception {
    String key = backup.stored().location().key();
    String sha = backup.stored().sha256();
    long revision = recorded.revision();

    var keys = drill("keys", env("keys", key, sha, revision, recorded.keys() + 1, recorded.hashKv(),
        WORK.resolve("keys.json")));
    var hash = drill("hash", env("hash", key, sha, revision, recorded.keys(), recorded.hashKv() ^ 1,
        WORK.resolve("hash.json")));
    var later = drill("later", env("later", key, sha, revision + 1_000, null, null, WORK.resolve("later.json")));

    assertThat(keys.message()).startsWith("key count check failed").contains(String.valueOf(writtenKeys));
    assertThat(hash.message()).startsWith("HashKV check failed");
    assertThat(later.message()).startsWith("revision check failed");
    assertThat(List.of(keys, hash, later)).noneMatch(VerifySnapshot.Report::passed);
  }

  private static VerifySnapshot.Report drill(String name, Map<String, String> env) throws Exception {
    assertThat(VerifySnapshot.run(env)).as(name).isEqualTo(VerifySnapshot.FAILED);
    return VerifySnapshot.parse(Files.readString(Path.of(env.get("VERIFY_RESULT_FILE"))));
  }

  /** What the verification Job's container gets (SnapshotJobs.verify), the tools of this build. */
  private static Map<String, String> env(String name, String key, String sha256, long revision, Long keys,
      Long hashKv, Path result) {
    Map<String, String> env = new HashMap<>(Map.of("RESTORE_ENDPOINT", minio.endpoint().toString(),
        "RESTORE_REGION", MinioServer.REGION, "RESTORE_PATH_STYLE", "true", "RESTORE_BUCKET", BUCKET,
        "RESTORE_KEY", key, "RESTORE_SOURCE", "s3://" + BUCKET + "/" + key, "RESTORE_SHA256", sha256,
        "AWS_ACCESS_KEY_ID", MinioServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MinioServer.SECRET_KEY));
    env.putAll(Map.of("VERIFY_REVISION", String.valueOf(revision), "VERIFY_DIR", WORK.resolve(name).toString(),
        "VERIFY_RESULT_FILE", result.toString(), "VERIFY_ADDRESS", LoopbackLane.address(0, 179),
        "VERIFY_ETCD", Binaries.etcd("etcd").toString(), "ETCDUTL", Binaries.etcd("etcdutl").toString()));
    if (keys != null) {
      env.put("VERIFY_KEYS", String.valueOf(keys));
    }
    if (hashKv != null) {
      env.put("VERIFY_HASH_KV", String.valueOf(hashKv));
    }
    return env;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
