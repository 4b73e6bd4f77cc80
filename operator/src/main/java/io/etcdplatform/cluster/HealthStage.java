package io.etcdplatform.cluster;

import io.etcdplatform.health.EtcdHealthProbe;
import io.etcdplatform.health.HealthObserver;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Health beyond the membership: alarms, the members' own metrics and, on a steady cluster at the
 * consistency interval, their KV hashes; recorded in the fleet's meters.
 */
final class HealthStage {

  private final FleetMeters meters;
  private final MemberMetricsReader metricsReader;
  private final Duration consistencyCheckInterval;
  private final Map<String, Instant> lastConsistencyCheck = new ConcurrentHashMap<>();

  HealthStage(FleetMeters meters, MemberMetricsReader metricsReader, Duration consistencyCheckInterval) {
    this.meters = meters;
    this.metricsReader = metricsReader;
    this.consistencyCheckInterval = consistencyCheckInterval;
  }

  ClusterHealth observe(ClusterPass pass, Observed observed, boolean steady) {
    String key = observed.access().key();
    Instant last = lastConsistencyCheck.get(key);
    boolean checkConsistency = steady && (last == null || !pass.now().isBefore(last.plus(consistencyCheckInterval)));
    Timer.Sample sample = Timer.start();
    ClusterHealth health = HealthObserver.observe(observed.observation(),
        new EtcdHealthProbe(observed.etcd(), metricsReader, observed.access()), checkConsistency);
    sample.stop(meters.observationTimer());
    if (health.consistency().isPresent()) {
      lastConsistencyCheck.put(key, pass.now());
    }
    meters.record(pass.namespace(), pass.name(), pass.desiredMembers(), health);
    return health;
  }

  /** Forgets the consistency schedule of the clusters not in {@code existing} (keys namespace/name). */
  void retainOnly(Set<String> existing) {
    lastConsistencyCheck.keySet().retainAll(existing);
  }
}
