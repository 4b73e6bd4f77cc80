package io.etcdplatform.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cached connection per cluster. A connection is replaced (and the old one closed, jetcd #786)
 * only when the cluster's endpoints or the operator's TLS material or etcd credential for it change. Every cluster is reconciled at least once per health
 * interval, so a connection unused for much longer belongs to a deleted (or no longer watched)
 * cluster: it is closed on the next request for any cluster.
 */
public final class EtcdConnections implements AutoCloseable {

  private static final Duration IDLE_LIMIT = Duration.ofMinutes(15);

  private final Duration deadline;
  private final Map<String, Entry> byCluster = new ConcurrentHashMap<>();

  private record Entry(EtcdConnection connection, ClusterAccess access, Instant lastUsed) {}

  public EtcdConnections(Duration deadline) {
    this.deadline = deadline;
  }

  public EtcdConnection forCluster(ClusterAccess access) {
    String key = access.key();
    Instant now = Instant.now();
    byCluster.forEach((k, entry) -> {
      if (!k.equals(key) && entry.lastUsed().plus(IDLE_LIMIT).isBefore(now)) {
        close(k);
      }
    });
    return byCluster.compute(key, (k, current) -> {
      if (current != null && current.access().endpoints().equals(access.endpoints())
          && current.access().tls().equals(access.tls())
          && current.access().credential().equals(access.credential())) {
        return new Entry(current.connection(), current.access(), now);
      }
      if (current != null) {
        current.connection().close();
      }
      return new Entry(new EtcdConnection(access.endpoints(), deadline, access.tls(),
          access.credential()), access, now);
    }).connection();
  }

  public void close(String key) {
    Entry entry = byCluster.remove(key);
    if (entry != null) {
      entry.connection().close();
    }
  }

  @Override
  public void close() {
    byCluster.keySet().forEach(this::close);
  }
}
