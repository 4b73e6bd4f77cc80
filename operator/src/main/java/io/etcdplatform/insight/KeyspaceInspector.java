package io.etcdplatform.insight;

import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.KeyScan;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Counts the keyspace on a follower, never the leader, so the inspection adds no work to the member
 * that orders every write. Keys only: etcd sends no value size without the value, so bytes are the
 * bytes of the keys (what the scan read), and a page of 1,000 keys costs the member one short read.
 */
public final class KeyspaceInspector {

  /** One inspection: the tally, the member it read from, and what the scan cost. */
  public record Inspection(KeyspaceReport report, String readFrom, KeyScan scan) {}

  private final EtcdConnection connection;
  private final int pageSize;
  private final Clock clock;

  public KeyspaceInspector(EtcdConnection connection, int pageSize, Clock clock) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, was " + pageSize);
    }
    this.connection = connection;
    this.pageSize = pageSize;
    this.clock = clock;
  }

  /** Inspects the keyspace on a follower; empty when no member answered as a follower. */
  public Optional<Inspection> inspect(Collection<String> clientUrls, int depth, int topN, KeyspaceBudget budget) {
    Optional<String> follower = follower(connection.statuses(clientUrls));
    if (follower.isEmpty()) {
      return Optional.empty();
    }
    KeyspaceTally tally = new KeyspaceTally(depth, topN, budget, clock);
    KeyScan scan = connection.scanKeys(follower.get(), new byte[] {0}, pageSize, keys -> {
      for (byte[] key : keys) {
        if (!tally.accept(key, 0)) {
          return false;
        }
      }
      return !tally.spent();
    });
    if (!scan.reachedEnd()) {
      tally.stop(); // the budget ended the scan between two pages, with more keys to read
    }
    return Optional.of(new Inspection(tally.report(), follower.get(), scan));
  }

  /** The follower with the most applied entries: a member that answers and is not the leader. */
  static Optional<String> follower(Map<String, StatusResponse> statuses) {
    return statuses.entrySet().stream()
        .filter(e -> e.getValue().getLeader() != 0 && e.getValue().getHeader().getMemberId() != e.getValue().getLeader())
        .max(Comparator.comparingLong(e -> e.getValue().getRaftIndex()))
        .map(Map.Entry::getKey);
  }
}
