package io.etcdplatform.backup;

import java.util.List;

/**
 * The {@code etcdutl snapshot restore} command line that turns a verified snapshot into one
 * member's data directory of a new cluster: the member's own name and peer URL, the new cluster's
 * members and token (so the restored cluster gets a new cluster ID and never joins the old one).
 */
public final class SnapshotRestoreCommand {

  private SnapshotRestoreCommand() {}

  public static List<String> of(String etcdutl, String snapshotFile, String member, String peerUrl,
      String initialCluster, String clusterToken, String dataDir) {
    return List.of(etcdutl, "snapshot", "restore", snapshotFile,
        "--name=" + member,
        "--initial-cluster=" + initialCluster,
        "--initial-cluster-token=" + clusterToken,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--data-dir=" + dataDir);
  }
}
