package io.etcdplatform.backup;

import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.backup.S3SnapshotStore.Stored;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.members.ClusterObservation;
import io.etcdplatform.members.EtcdMemberState;
import io.etcdplatform.members.MemberAddresses;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;

/** Takes a snapshot from one healthy member (a follower when there is one) straight into S3. */
public final class SnapshotBackup {

  /** @param revision the member's store revision when the snapshot began; the snapshot holds at least that */
  public record Result(Stored stored, long revision, String member) {}

  private SnapshotBackup() {}

  /**
   * @throws EtcdUnavailableException no healthy member, or the member did not stream the snapshot in time
   * @throws IOException the storage refused the upload
   * @throws SnapshotCorruptException the stream failed etcd's integrity check (nothing is stored)
   */
  public static Result take(EtcdConnection etcd, ClusterObservation observation, MemberAddresses addresses,
      S3SnapshotStore store, Location location, Duration timeout) throws IOException {
    EtcdMemberState source = source(observation).orElseThrow(() -> new EtcdUnavailableException(
        "no healthy member to take a snapshot from", null));
    String url = addresses.clientUrl(source.name());
    long revision = etcd.status(url).getHeader().getRevision();
    Stored stored = store.upload(location, out -> etcd.snapshot(url, out, timeout));
    return new Result(stored, revision, source.name());
  }

  /** A healthy follower, the most caught up; the leader only when it is the only healthy voter. */
  static Optional<EtcdMemberState> source(ClusterObservation observation) {
    return observation.voters().stream().filter(EtcdMemberState::healthy)
        .max(Comparator.comparing((EtcdMemberState m) -> m.id() != observation.leaderId())
            .thenComparingLong(EtcdMemberState::raftIndex));
  }
}
