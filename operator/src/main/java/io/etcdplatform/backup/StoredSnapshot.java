package io.etcdplatform.backup;

import io.etcdplatform.backup.S3SnapshotStore.Location;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The snapshot a restore reads, in a claim (mounted read-only) or a bucket, as the restore init
 * container's environment names it: its size, known before anything is downloaded, and a
 * verified copy.
 */
interface StoredSnapshot extends AutoCloseable {

  long size() throws IOException;

  /**
   * Copies it to {@code target}, refusing it (no file left) when its sha256 is not
   * {@code expectedSha256} (when given) or etcd's integrity mark does not match.
   */
  void copyTo(Path target, String expectedSha256) throws IOException;

  @Override
  void close();

  static StoredSnapshot of(Map<String, String> env) {
    if (env.containsKey("RESTORE_FILE")) {
      return new InClaim(Path.of(env.get("RESTORE_FILE")), env.get("RESTORE_SOURCE"));
    }
    S3SnapshotStore store = S3SnapshotStore.connect(URI.create(env.get("RESTORE_ENDPOINT")),
        env.get("RESTORE_REGION"), Boolean.parseBoolean(env.get("RESTORE_PATH_STYLE")), env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"), Duration.ofMinutes(2));
    return new InBucket(store, new Location(env.get("RESTORE_BUCKET"), env.get("RESTORE_KEY")));
  }

  record InClaim(Path file, String source) implements StoredSnapshot {

    @Override
    public long size() throws IOException {
      return Files.size(file);
    }

    @Override
    public void copyTo(Path target, String expectedSha256) throws IOException {
      SnapshotFiles.copyVerified(Files.newInputStream(file), source, expectedSha256, target);
    }

    @Override
    public void close() {}
  }

  record InBucket(S3SnapshotStore store, Location location) implements StoredSnapshot {

    /** A HEAD of the object. */
    @Override
    public long size() throws IOException {
      return store.size(location);
    }

    @Override
    public void copyTo(Path target, String expectedSha256) throws IOException {
      store.download(location, expectedSha256, target);
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
