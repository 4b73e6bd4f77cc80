package io.etcdplatform.metrics;

import io.etcdplatform.metrics.PrometheusText.Sample;
import java.util.List;

/**
 * What one member's /metrics says about its watchers and slow requests (etcd 3.5 and 3.6 expose
 * the same names). etcd has no family named after its "request took too long" warnings; each one
 * (a write's apply, a read-only range or txn) counts in {@code etcd_server_slow_apply_total}.
 *
 * @param watchers watchers registered on the member ({@code etcd_debugging_mvcc_watcher_total})
 * @param slowWatchers watchers that fell behind the store's revision and wait to catch up
 *     ({@code etcd_debugging_mvcc_slow_watcher_total}: unsynced plus victims)
 * @param pendingEvents events waiting to be sent to slow watchers ({@code etcd_debugging_mvcc_pending_events_total})
 * @param slowApplies requests slower than --warning-apply-duration (100 ms) since the member started ({@code etcd_server_slow_apply_total})
 * @param slowReadIndexes read-index requests that timed out or were not in sync with the leader
 *     ({@code etcd_server_slow_read_indexes_total})
 */
public record WatchHealth(
    double watchers, double slowWatchers, double pendingEvents, double slowApplies, double slowReadIndexes) {

  /** A member whose /metrics said nothing about watchers (or was not read). */
  public static final WatchHealth UNKNOWN = new WatchHealth(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static WatchHealth from(List<Sample> samples) {
    return new WatchHealth(
        value(samples, "etcd_debugging_mvcc_watcher_total"),
        value(samples, "etcd_debugging_mvcc_slow_watcher_total"),
        value(samples, "etcd_debugging_mvcc_pending_events_total"),
        value(samples, "etcd_server_slow_apply_total"),
        value(samples, "etcd_server_slow_read_indexes_total"));
  }

  /** The sum of a family's samples; NaN when the member does not expose it (a name etcd renamed). */
  private static double value(List<Sample> samples, String name) {
    return PrometheusText.sum(samples, name).orElse(Double.NaN);
  }
}
