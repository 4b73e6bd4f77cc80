package io.etcdplatform.etcd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cached connection per cluster. A connection is replaced (and the old one closed, jetcd #786)
 * only when the cluster's endpoints change, and closed when the cluster is deleted.
 */
public final class EtcdConnections implements AutoCloseable {

  private final Duration deadline;
  private final Map<String, EtcdConnection> byCluster = new ConcurrentHashMap<>();

  public EtcdConnections(Duration deadline) {
    this.deadline = deadline;
  }

  public EtcdConnection forCluster(String key, List<String> endpoints) {
    return byCluster.compute(key, (k, current) -> {
      if (current != null && current.endpoints().equals(endpoints)) {
        return current;
      }
      if (current != null) {
        current.close();
      }
      return new EtcdConnection(endpoints, deadline);
    });
  }

  public void close(String key) {
    EtcdConnection connection = byCluster.remove(key);
    if (connection != null) {
      connection.close();
    }
  }

  public int size() {
    return byCluster.size();
  }

  @Override
  public void close() {
    byCluster.keySet().forEach(this::close);
  }
}
