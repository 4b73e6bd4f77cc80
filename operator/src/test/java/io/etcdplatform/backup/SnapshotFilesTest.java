package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots as etcd streams them: the database, then the sha256 of the database as the last 32 bytes. */
class SnapshotFilesTest {

  @TempDir
  Path dir;

  @Test
  void aSnapshotWrittenInUnevenChunksIsStoredWithTheSha256OfTheWholeFile() throws Exception {
    byte[] snapshot = snapshot(3_000_017);
    Path file = dir.resolve("backups/main/nightly.db");

    var written = SnapshotFiles.save(file, out -> {
      for (int offset = 0, chunk = 1; offset < snapshot.length; offset += chunk, chunk = chunk * 7 % 65_521 + 1) {
        out.write(snapshot, offset, Math.min(chunk, snapshot.length - offset));
      }
    });

    assertThat(Files.readAllBytes(file)).isEqualTo(snapshot);
    assertThat(written.size()).isEqualTo(snapshot.length);
    assertThat(written.sha256()).isEqualTo(sha256(snapshot));
    assertThat(file.resolveSibling("nightly.db.partial")).doesNotExist();
  }

  @Test
  void aStreamFailingTheIntegrityMarkLeavesNoFile() {
    byte[] snapshot = snapshot(100_000);
    snapshot[50_000] ^= 1;
    Path file = dir.resolve("damaged.db");

    assertThatThrownBy(() -> SnapshotFiles.save(file, out -> out.write(snapshot)))
        .isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("integrity mark");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aCopyIsRefusedAndDeletedWhenTheSha256DiffersFromTheRecordedOne() {
    byte[] snapshot = snapshot(100_000);
    Path target = dir.resolve("restore.db");

    assertThatThrownBy(() -> SnapshotFiles.copyVerified(new ByteArrayInputStream(snapshot), "pvc://c/k.db",
        "00".repeat(32), target))
        .isInstanceOf(SnapshotCorruptException.class)
        .hasMessageContaining("the sha256 of pvc://c/k.db is " + sha256(snapshot)).hasMessageContaining("refusing");
    assertThat(target).doesNotExist();
  }

  @Test
  void withoutARecordedSha256EtcdsIntegrityMarkStillDecides() throws Exception {
    byte[] snapshot = snapshot(100_000);
    Path target = dir.resolve("restore.db");

    SnapshotFiles.copyVerified(new ByteArrayInputStream(snapshot), "s3://b/k.db", null, target);
    assertThat(Files.readAllBytes(target)).isEqualTo(snapshot);

    snapshot[10] ^= 1;
    assertThatThrownBy(() -> SnapshotFiles.copyVerified(new ByteArrayInputStream(snapshot), "s3://b/k.db", null, target))
        .isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("integrity mark of s3://b/k.db");
    assertThat(target).doesNotExist();
  }

  @Test
  void aStreamShorterThanTheMarkIsRefused() {
    assertThatThrownBy(() -> SnapshotFiles.save(dir.resolve("short.db"), out -> out.write(new byte[20])))
        .isInstanceOf(SnapshotCorruptException.class).hasMessageContaining("20 bytes: too short");
  }

  @Test
  void theRetentionsDeleteRemovesTheSnapshotAndWhatAKilledSaveLeft() throws Exception {
    Path file = Files.createDirectories(dir.resolve("nightly/main")).resolve("old.db");
    Files.write(file, snapshot(100));
    Files.write(SnapshotFiles.partial(file), new byte[10]);

    assertThat(SnapshotFileCommands.delete(java.util.Map.of("SNAPSHOT_FILE", file.toString()))).isZero();

    assertThat(dir.resolve("nightly/main")).isEmptyDirectory();
  }

  private static byte[] snapshot(int databaseBytes) {
    byte[] database = new byte[databaseBytes];
    new Random(databaseBytes).nextBytes(database);
    byte[] snapshot = Arrays.copyOf(database, databaseBytes + 32);
    System.arraycopy(digest(database), 0, snapshot, databaseBytes, 32);
    return snapshot;
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
