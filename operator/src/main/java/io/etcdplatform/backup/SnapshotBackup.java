package io.etcdplatform.backup;

import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.backup.S3SnapshotStore.Stored;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.etcd.MemberAddresses;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;

/** Takes a snapshot from one healthy member (a follower when there is one). */
public final class SnapshotBackup {

  /**
   * The member a snapshot is taken from, its store revision then (the snapshot holds at least that),
   * and what the keyspace held at that revision, for a verification to compare with: the key count
   * and the member's HashKV (null when the member could not say, e.g. the revision was compacted
   * meanwhile).
   */
  public record Source(String member, String clientUrl, long revision, Long keys, Long hashKv) {}

  public record Result(Stored stored, long revision, String member) {}

  private SnapshotBackup() {}

  /**
   * @param hashTimeout for the member's HashKV, which reads its whole keyspace (seconds for a GiB)
   * @throws EtcdUnavailableException no healthy member, or it does not answer
   */
  public static Source source(EtcdConnection etcd, ClusterObservation observation, MemberAddresses addresses,
      Duration hashTimeout) {
    EtcdMemberState member = source(observation).orElseThrow(() -> new EtcdUnavailableException(
        "no healthy member to take a snapshot from", null));
    String url = addresses.clientUrl(member.name());
    long revision = etcd.status(url).getHeader().getRevision();
    Long keys = null;
    Long hashKv = null;
    try {
      keys = etcd.keyCount(revision);
      hashKv = etcd.hashKv(url, revision, hashTimeout).hash();
    } catch (EtcdUnavailableException e) {
      // the snapshot is still worth taking; its verification then checks what it can
    }
    return new Source(member.name(), url, revision, keys, hashKv);
  }

  /**
   * Streams a snapshot of the source straight into S3.
   *
   * @throws EtcdUnavailableException the member did not stream the snapshot in time
   * @throws IOException the storage refused the upload
   * @throws SnapshotCorruptException the stream failed etcd's integrity check (nothing is stored)
   */
  public static Result take(EtcdConnection etcd, Source source, S3SnapshotStore store, Location location,
      Duration timeout) throws IOException {
    Stored stored = store.upload(location, out -> etcd.snapshot(source.clientUrl(), out, timeout));
    return new Result(stored, source.revision(), source.member());
  }

  /** A healthy follower, the most caught up; the leader only when it is the only healthy voter. */
  static Optional<EtcdMemberState> source(ClusterObservation observation) {
    return observation.voters().stream().filter(EtcdMemberState::healthy)
        .max(Comparator.comparing((EtcdMemberState m) -> m.id() != observation.leaderId())
            .thenComparingLong(EtcdMemberState::raftIndex));
  }
}
