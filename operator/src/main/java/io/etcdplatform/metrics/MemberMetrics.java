package io.etcdplatform.metrics;

import io.etcdplatform.metrics.PrometheusText.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * What one member's own /metrics says about its disk, raft and network.
 *
 * @param peerRoundTrip round-trip times to every peer, merged into one histogram
 * @param watch its watchers and slow requests
 */
public record MemberMetrics(
    double leaderChangesSeen,
    double proposalsFailed,
    double proposalsPending,
    double quotaBackendBytes,
    Histogram walFsync,
    Histogram backendCommit,
    Histogram peerRoundTrip,
    WatchHealth watch) {

  /** Metrics without the watch families (a member read before they were parsed, or a test). */
  public MemberMetrics(double leaderChangesSeen, double proposalsFailed, double proposalsPending,
      double quotaBackendBytes, Histogram walFsync, Histogram backendCommit, Histogram peerRoundTrip) {
    this(leaderChangesSeen, proposalsFailed, proposalsPending, quotaBackendBytes, walFsync, backendCommit,
        peerRoundTrip, WatchHealth.UNKNOWN);
  }

  /**
   * The histograms of what happened since {@code earlier} (the same member's metrics at an earlier
   * pass), the gauges and counters as they are now; all of this member's observations without it.
   */
  public MemberMetrics since(MemberMetrics earlier) {
    if (earlier == null) {
      return this;
    }
    return new MemberMetrics(leaderChangesSeen, proposalsFailed, proposalsPending, quotaBackendBytes,
        since(walFsync, earlier.walFsync), since(backendCommit, earlier.backendCommit),
        since(peerRoundTrip, earlier.peerRoundTrip), watch);
  }

  private static Histogram since(Histogram now, Histogram earlier) {
    return now == null ? null : now.since(earlier);
  }

  /** Parses a member's /metrics answer (the Prometheus text format). */
  public static MemberMetrics parse(String exposition) {
    return from(PrometheusText.parse(exposition));
  }

  static MemberMetrics from(List<Sample> samples) {
    return new MemberMetrics(
        value(samples, "etcd_server_leader_changes_seen_total"),
        value(samples, "etcd_server_proposals_failed_total"),
        value(samples, "etcd_server_proposals_pending"),
        value(samples, "etcd_server_quota_backend_bytes"),
        histogram(samples, "etcd_disk_wal_fsync_duration_seconds"),
        histogram(samples, "etcd_disk_backend_commit_duration_seconds"),
        histogram(samples, "etcd_network_peer_round_trip_time_seconds"),
        WatchHealth.from(samples));
  }

  private static double value(List<Sample> samples, String name) {
    return PrometheusText.sum(samples, name).orElse(0);
  }

  private static Histogram histogram(List<Sample> samples, String name) {
    List<double[]> buckets = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name + "_bucket")) {
        String le = sample.labels().get("le");
        buckets.add(new double[] {"+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), sample.value()});
      }
    }
    return Histogram.of(buckets);
  }
}
