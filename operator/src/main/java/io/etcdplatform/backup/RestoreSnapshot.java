package io.etcdplatform.backup;

import io.etcdplatform.backup.S3SnapshotStore.Location;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar operator.jar restore-snapshot}: the init container of a cluster that starts from
 * a backup. For an initial member whose data directory does not exist yet: copy the snapshot (from
 * S3, or from the backup's claim), check its sha256 against the one the backup recorded and etcd's
 * integrity mark (a mismatch is refused and nothing is restored), then {@code etcdutl snapshot
 * restore} it as this member of the new cluster. Any other case (the member already has data, or
 * joins later) does nothing. Settings come from the environment the StatefulSet gives it.
 */
public final class RestoreSnapshot {

  static final int REFUSED = 3;

  private RestoreSnapshot() {}

  public static int run(Map<String, String> env) throws IOException, InterruptedException {
    Path dataDir = Path.of(env.get("RESTORE_DATA_DIR"));
    String member = env.get("POD_NAME");
    if (Files.exists(dataDir)) {
      System.out.println(member + ": " + dataDir + " exists: nothing to restore");
      return 0;
    }
    if (!Arrays.asList(env.get("RESTORE_MEMBERS").split(",")).contains(member)) {
      System.out.println(member + " is not one of the initial members: it joins empty");
      return 0;
    }
    Path snapshot = dataDir.resolveSibling("restore.db");
    String source = env.get("RESTORE_SOURCE");
    String sha256 = env.get("RESTORE_SHA256");
    try {
      fetch(env, sha256, snapshot);
    } catch (SnapshotCorruptException e) {
      System.err.println("restore refused: " + e.getMessage());
      return REFUSED;
    } catch (IOException e) {
      System.err.println("restore failed: could not read " + source + " (" + e + "); nothing was restored");
      return 1;
    }
    int restored = etcdutlRestore(env, member, snapshot, dataDir);
    if (restored == 0) {
      System.out.println(member + ": restored " + source + (sha256 == null ? "" : " (sha256 " + sha256 + ")"));
    }
    return restored;
  }

  /** The snapshot from the claim or the bucket into {@code snapshot}, verified on the way. */
  private static void fetch(Map<String, String> env, String sha256, Path snapshot) throws IOException {
    if (env.containsKey("RESTORE_FILE")) {
      SnapshotFiles.copyVerified(Files.newInputStream(Path.of(env.get("RESTORE_FILE"))), env.get("RESTORE_SOURCE"),
          sha256, snapshot);
      return;
    }
    try (S3SnapshotStore store = S3SnapshotStore.connect(URI.create(env.get("RESTORE_ENDPOINT")),
        env.get("RESTORE_REGION"), Boolean.parseBoolean(env.get("RESTORE_PATH_STYLE")), env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"), Duration.ofMinutes(2))) {
      store.download(new Location(env.get("RESTORE_BUCKET"), env.get("RESTORE_KEY")), sha256, snapshot);
    }
  }

  /** etcdutl of the member's own release writes the member's data directory from the snapshot. */
  private static int etcdutlRestore(Map<String, String> env, String member, Path snapshot, Path dataDir)
      throws IOException, InterruptedException {
    String initialCluster = env.get("ETCD_INITIAL_CLUSTER");
    String peerUrl = Arrays.stream(initialCluster.split(",")).filter(m -> m.startsWith(member + "="))
        .map(m -> m.substring(member.length() + 1)).findFirst()
        .orElseThrow(() -> new IllegalStateException(member + " is not in ETCD_INITIAL_CLUSTER " + initialCluster));
    String etcdutl = env.getOrDefault("ETCDUTL", "/opt/etcdutl/" + env.get("RESTORE_ETCD_MINOR") + "/etcdutl");
    Process restore = new ProcessBuilder(SnapshotRestoreCommand.of(etcdutl, snapshot.toString(), member, peerUrl,
        initialCluster, env.get("ETCD_INITIAL_CLUSTER_TOKEN"), dataDir.toString())).inheritIO().start();
    if (!restore.waitFor(30, TimeUnit.MINUTES)) {
      restore.destroyForcibly();
      System.err.println("etcdutl snapshot restore did not finish within 30 minutes");
      return 1;
    }
    Files.deleteIfExists(snapshot);
    return restore.exitValue();
  }
}
