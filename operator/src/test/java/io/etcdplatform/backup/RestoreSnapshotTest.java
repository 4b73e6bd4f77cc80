package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore init container's command on a claim (a directory here), with the snapshot read from
 * a file and etcdutl played by scripts that write what etcdutl writes: a restore is complete or
 * absent, and whatever a stopped attempt left is redone.
 */
class RestoreSnapshotTest {

  /** Writes the database, then the WAL, as etcdutl does. */
  private static final String ETCDUTL = """
      #!/bin/sh
      for a in "$@"; do case "$a" in --data-dir=*) d="${a#--data-dir=}";; esac; done
      mkdir -p "$d/member/snap" "$d/member/wal" && cp "$3" "$d/member/snap/db" \\
        && echo wal > "$d/member/wal/0000000000000000-0000000000000000.wal"
      """;
  /** Writes the database, then fails before the WAL (a full disk, say). */
  private static final String ETCDUTL_FAILING_MIDWAY = """
      #!/bin/sh
      for a in "$@"; do case "$a" in --data-dir=*) d="${a#--data-dir=}";; esac; done
      mkdir -p "$d/member/snap" && cp "$3" "$d/member/snap/db"
      echo "write $d/member/wal: no space left on device" >&2
      exit 1
      """;
  private static final RestoreSpace.Probe PLENTY = dir -> new RestoreSpace.Space(8L << 30, 8L << 30);

  @TempDir
  Path work;
  private Path claim;
  private Path data;
  private Path snapshotFile;

  @BeforeEach
  void storeASnapshot() throws Exception {
    claim = Files.createDirectories(work.resolve("claim"));
    data = claim.resolve("data");
    snapshotFile = work.resolve("backups/orders/nightly.db");
    Files.createDirectories(snapshotFile.getParent());
    Files.write(snapshotFile, snapshotWithIntegrityMark(64 * 1024));
  }

  @Test
  void aMemberWithACompleteDataDirectoryIsNeverRestoredOver() throws Exception {
    Path wal = Files.createDirectories(data.resolve("member/wal")).resolve("0000000000000000-0000000000000000.wal");
    Files.writeString(wal, "served");

    assertThat(RestoreSnapshot.run(env("orders-0", script("etcdutl", ETCDUTL)), PLENTY)).isZero();
    assertThat(wal).hasContent("served");
    assertThat(claim.resolve("restore.db")).doesNotExist();
  }

  @Test
  void aMemberAddedLaterJoinsEmpty() throws Exception {
    assertThat(RestoreSnapshot.run(env("orders-3", script("etcdutl", ETCDUTL)), PLENTY)).isZero();
    assertThat(data).doesNotExist();
  }

  @Test
  void aRestoreThatFailedMidwayIsRedoneNotTakenAsDone() throws Exception {
    int failed = RestoreSnapshot.run(env("orders-0", script("etcdutl-failing", ETCDUTL_FAILING_MIDWAY)), PLENTY);

    assertThat(failed).isNotZero();
    assertThat(data).as("no data directory etcd could start on").doesNotExist();

    int retried = RestoreSnapshot.run(env("orders-0", script("etcdutl", ETCDUTL)), PLENTY);

    assertThat(retried).isZero();
    assertRestoredCompletely();
  }

  @Test
  void aDataDirectoryWithoutAWalIsAnUnfinishedRestoreAndIsRestoredAgain() throws Exception {
    Files.createDirectories(data.resolve("member/snap"));
    Files.writeString(data.resolve("member/snap/db"), "half");

    assertThat(RestoreSnapshot.run(env("orders-0", script("etcdutl", ETCDUTL)), PLENTY)).isZero();
    assertRestoredCompletely();
  }

  @Test
  void whatAKilledAttemptLeftAsideIsRemovedAndTheRestoreRedone() throws Exception {
    Files.createDirectories(claim.resolve("data.restoring/member/snap"));
    Files.writeString(claim.resolve("data.restoring/member/snap/db"), "half");
    Files.writeString(claim.resolve("restore.db"), "half a download");

    assertThat(RestoreSnapshot.run(env("orders-0", script("etcdutl", ETCDUTL)), PLENTY)).isZero();
    assertRestoredCompletely();
  }

  @Test
  void aClaimTooSmallForTheSnapshotIsRefusedBeforeTheDownload() throws Exception {
    RestoreSpace.Probe small = dir -> new RestoreSpace.Space(50L << 20, 8L << 30); // below the WAL headroom

    assertThat(RestoreSnapshot.run(env("orders-0", script("etcdutl", ETCDUTL)), small))
        .isEqualTo(RestoreSnapshot.NO_SPACE);
    assertThat(claim.resolve("restore.db")).as("nothing downloaded").doesNotExist();
    assertThat(data).doesNotExist();
  }

  @Test
  void aSnapshotWhoseChecksumDiffersIsRefusedAndNothingIsLeft() throws Exception {
    Map<String, String> env = env("orders-0", script("etcdutl", ETCDUTL));
    env.put("RESTORE_SHA256", "00");

    assertThat(RestoreSnapshot.run(env, PLENTY)).isEqualTo(RestoreSnapshot.REFUSED);
    assertThat(claim.resolve("restore.db")).doesNotExist();
    assertThat(data).doesNotExist();
  }

  private void assertRestoredCompletely() throws IOException {
    assertThat(RestoreLayout.hasWal(data)).as("a complete data directory").isTrue();
    assertThat(data.resolve("member/snap/db")).hasBinaryContent(Files.readAllBytes(snapshotFile));
    assertThat(claim.resolve("data.restoring")).doesNotExist();
    assertThat(claim.resolve("restore.db")).as("the download is gone once restored").doesNotExist();
  }

  private Map<String, String> env(String pod, Path etcdutl) {
    Map<String, String> env = new HashMap<>(Map.of("POD_NAME", pod, "RESTORE_DATA_DIR", data.toString(),
        "RESTORE_MEMBERS", "orders-0,orders-1,orders-2", "RESTORE_FILE", snapshotFile.toString(),
        "RESTORE_SOURCE", "pvc://etcd-backups/orders/nightly.db", "RESTORE_STORAGE_SIZE", "8Gi",
        "ETCDUTL", etcdutl.toString(), "ETCD_INITIAL_CLUSTER_TOKEN", "orders-token",
        "ETCD_INITIAL_CLUSTER", "orders-0=http://127.0.0.1:2380,orders-1=http://127.0.0.2:2380,"
            + "orders-2=http://127.0.0.3:2380"));
    return env;
  }

  private Path script(String name, String text) throws IOException {
    Path script = work.resolve(name);
    Files.writeString(script, text);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** Bytes ending in the sha256 of what precedes them, as etcd ends a snapshot. */
  private static byte[] snapshotWithIntegrityMark(int size) throws Exception {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size - 32; i++) {
      bytes[i] = (byte) i;
    }
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(bytes, 0, size - 32);
    System.arraycopy(sha256.digest(), 0, bytes, size - 32, 32);
    return bytes;
  }
}
