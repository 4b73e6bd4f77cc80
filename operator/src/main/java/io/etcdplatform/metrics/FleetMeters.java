package io.etcdplatform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The health meters of every cluster, labelled {@code namespace} and {@code cluster} (and
 * {@code member}). A deleted cluster's meters are removed, so the series of a fleet follow its
 * clusters rather than growing without bound.
 */
public final class FleetMeters {

  private final MeterRegistry registry;
  private final Map<String, ClusterMeters> clusters = new ConcurrentHashMap<>();
  private final Timer observation;

  public FleetMeters(MeterRegistry registry) {
    this.registry = registry;
    this.observation = Timer.builder("etcdplatform.health.observation")
        .description("one cluster's health observation: member statuses, alarms, members' /metrics, hashes")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  public Timer observationTimer() {
    return observation;
  }

  public void record(String namespace, String cluster, int desiredMembers, ClusterHealth health) {
    update(namespace, cluster, meters -> meters.update(desiredMembers, health));
  }

  /** A maintenance operation (compact, defragment, disarm) carried out, or failed. */
  public void maintenanceOperation(String namespace, String cluster, String operation, boolean succeeded) {
    update(namespace, cluster, meters -> meters.maintenanceOperation(operation, succeeded));
  }

  /** The operator observed a leader change of the cluster and found its cause. */
  public void leaderChanged(String namespace, String cluster, String cause) {
    update(namespace, cluster, meters -> meters.leaderChanged(cause));
  }

  /** A backup of the cluster finished or was skipped (possibly before the cluster's health was first recorded). */
  public void backupFinished(String namespace, String cluster, BackupResult result, Instant when) {
    update(namespace, cluster, meters -> meters.backupFinished(result, when));
  }

  /** A restore drill of one of the cluster's backups passed or failed. */
  public void backupVerified(String namespace, String cluster, boolean passed, Instant when) {
    update(namespace, cluster, meters -> meters.backupVerified(passed, when));
  }

  public void defragmented(String namespace, String cluster, Instant when, Duration took) {
    update(namespace, cluster, meters -> meters.defragmented(when, took));
  }

  /** The last compaction, as the cluster's status records it. */
  public void lastCompaction(String namespace, String cluster, Instant time, long revision) {
    update(namespace, cluster, meters -> meters.lastCompaction(time, revision));
  }

  /** The cluster's last keyspace inspection: keys under its top prefixes, and in all. */
  public void keyspace(String namespace, String cluster, Map<String, Long> keysByTopPrefix, long totalKeys) {
    update(namespace, cluster, meters -> meters.keyspace(keysByTopPrefix, totalKeys));
  }

  /** One cluster's meters, created on first use, changed by one thread at a time. */
  private void update(String namespace, String cluster, Consumer<ClusterMeters> change) {
    ClusterMeters meters = clusters.computeIfAbsent(key(namespace, cluster),
        k -> new ClusterMeters(registry, namespace, cluster));
    synchronized (meters) {
      change.accept(meters);
    }
  }

  /** Removes the meters of every cluster not in {@code existing} (keys {@code namespace/name}). */
  public void retainOnly(Collection<String> existing) {
    Set<String> keep = Set.copyOf(existing);
    clusters.keySet().stream().filter(k -> !keep.contains(k)).toList().forEach(this::remove);
  }

  public void remove(String key) {
    ClusterMeters meters = clusters.remove(key);
    if (meters != null) {
      synchronized (meters) {
        meters.remove();
      }
    }
  }

  public static String key(String namespace, String cluster) {
    return namespace + "/" + cluster;
  }
}
