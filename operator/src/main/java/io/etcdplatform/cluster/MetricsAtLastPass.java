package io.etcdplatform.cluster;

import io.etcdplatform.metrics.MemberMetrics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each cluster's member metrics at its previous pass (keys namespace/name), kept in memory so that
 * a leader change is judged on the latencies since that pass. A restarted operator has none and
 * judges on everything since each member started, which the docs say.
 */
final class MetricsAtLastPass {

  private final Map<String, Map<String, MemberMetrics>> byCluster = new ConcurrentHashMap<>();

  /** Keeps {@code now} for the next pass and returns what the previous pass kept (empty at first). */
  Map<String, MemberMetrics> swap(String key, Map<String, MemberMetrics> now) {
    Map<String, MemberMetrics> earlier = byCluster.put(key, Map.copyOf(now));
    return earlier == null ? Map.of() : earlier;
  }

  void retainOnly(Set<String> existing) {
    byCluster.keySet().retainAll(existing);
  }
}
