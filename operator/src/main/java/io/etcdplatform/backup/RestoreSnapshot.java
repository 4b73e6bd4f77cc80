package io.etcdplatform.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar operator.jar restore-snapshot}: the init container of a cluster that starts from
 * a backup. For an initial member whose data directory is not complete ({@link RestorePlan}):
 * remove what an earlier attempt left, check that the claim can hold the restore
 * ({@link RestoreSpace}), copy the snapshot (from S3, or from the backup's claim), check its
 * sha256 against the one the backup recorded and etcd's integrity mark (a mismatch is refused and
 * nothing is restored), {@code etcdutl snapshot restore} it as this member of the new cluster into
 * a directory aside, and rename that into place ({@link RestoreLayout}): a restore is complete or
 * absent. Settings come from the environment the StatefulSet gives it. Exit codes: 0 restored or
 * nothing to do, 1 failed, {@value #REFUSED} snapshot refused, {@value #NO_SPACE} claim too small.
 */
public final class RestoreSnapshot {

  static final int REFUSED = 3;
  static final int NO_SPACE = 4;

  private RestoreSnapshot() {}

  public static int run(Map<String, String> env) throws IOException, InterruptedException {
    return run(env, RestoreSpace::of);
  }

  static int run(Map<String, String> env, RestoreSpace.Probe space) throws IOException, InterruptedException {
    RestoreLayout layout = new RestoreLayout(Path.of(env.get("RESTORE_DATA_DIR")));
    String member = env.get("POD_NAME");
    RestorePlan plan = RestorePlan.of(layout, layout.inspect(), member,
        Arrays.asList(env.get("RESTORE_MEMBERS").split(",")));
    if (plan instanceof RestorePlan.Skip skip) {
      System.out.println(skip.why());
      return 0;
    }
    for (Path leftover : ((RestorePlan.Restore) plan).leftovers()) {
      System.out.println(member + ": removing " + leftover + ", left by a restore that did not finish");
      RestoreLayout.delete(leftover);
    }
    int exit = fetchAndRestore(env, layout, member, space);
    if (exit != 0) {
      RestoreLayout.delete(layout.restoring());
      Files.deleteIfExists(layout.snapshot());
    }
    return exit;
  }

  private static int fetchAndRestore(Map<String, String> env, RestoreLayout layout, String member,
      RestoreSpace.Probe space) throws IOException, InterruptedException {
    String source = env.get("RESTORE_SOURCE");
    String sha256 = env.get("RESTORE_SHA256");
    try (StoredSnapshot snapshot = StoredSnapshot.of(env)) {
      Path claim = Files.createDirectories(layout.data().toAbsolutePath().getParent());
      Optional<String> shortage = RestoreSpace.shortage(snapshot.size(), space.of(claim), source,
          env.get("RESTORE_STORAGE_SIZE"));
      if (shortage.isPresent()) {
        System.err.println("restore failed: " + shortage.get());
        return NO_SPACE;
      }
      snapshot.copyTo(layout.snapshot(), sha256);
    } catch (SnapshotCorruptException e) {
      System.err.println("restore refused: " + e.getMessage());
      return REFUSED;
    } catch (IOException e) {
      System.err.println("restore failed: could not read " + source + " (" + e + "); nothing was restored");
      return 1;
    }
    int restored = etcdutlRestore(env, member, layout.snapshot(), layout.restoring());
    if (restored != 0) {
      System.err.println("restore failed: etcdutl snapshot restore exited " + restored + "; nothing was restored, "
          + "the next attempt starts again");
      return restored;
    }
    layout.moveIntoPlace();
    Files.deleteIfExists(layout.snapshot());
    System.out.println(member + ": restored " + source + (sha256 == null ? "" : " (sha256 " + sha256 + ")"));
    return 0;
  }

  /** etcdutl of the member's own release writes the member's data directory from the snapshot. */
  private static int etcdutlRestore(Map<String, String> env, String member, Path snapshot, Path dataDir)
      throws IOException, InterruptedException {
    String initialCluster = env.get("ETCD_INITIAL_CLUSTER");
    String peerUrl = Arrays.stream(initialCluster.split(",")).filter(m -> m.startsWith(member + "="))
        .map(m -> m.substring(member.length() + 1)).findFirst()
        .orElseThrow(() -> new IllegalStateException(member + " is not in ETCD_INITIAL_CLUSTER " + initialCluster));
    String etcdutl = env.getOrDefault("ETCDUTL", "/opt/etcdutl/" + env.get("RESTORE_ETCD_MINOR") + "/etcdutl");
    List<String> command = SnapshotRestoreCommand.of(etcdutl, snapshot.toString(), member, peerUrl, initialCluster,
        env.get("ETCD_INITIAL_CLUSTER_TOKEN"), dataDir.toString());
    Process restore = new ProcessBuilder(command).inheritIO().start();
    if (!restore.waitFor(30, TimeUnit.MINUTES)) {
      restore.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
      System.err.println("etcdutl snapshot restore did not finish within 30 minutes");
      return 1;
    }
    return restore.exitValue();
  }
}
