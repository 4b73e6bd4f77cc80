package io.etcdplatform.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The {@code etcdplatform_member_*} meters of one member. Latencies are the p99 of the
 * observations the member made since the previous pass (its lifetime's, until a pass sees new
 * ones), so they follow the disk as it is now rather than averaging over months.
 */
final class MemberMeters {

  private static final double P99 = 0.99;

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private volatile MemberHealth latest;
  private MemberMetrics previousMetrics;
  private volatile double walFsyncP99 = Double.NaN;
  private volatile double backendCommitP99 = Double.NaN;
  private volatile double peerRoundTripP99 = Double.NaN;
  private volatile double leaderChangesSeen;
  private volatile double proposalsFailed;
  private volatile double slowApplies;
  private volatile double slowReadIndexes;
  private Meter info;

  MemberMeters(MeterRegistry registry, Tags clusterTags, MemberHealth first) {
    this.registry = registry;
    this.tags = clusterTags.and("member", first.name());
    this.latest = first;
    gauge("etcdplatform.member.up", "1 when the member answers its status call", m -> m.reachable() ? 1 : 0);
    gauge("etcdplatform.member.healthy", "1 when the member answers and has a leader", m -> m.healthy() ? 1 : 0);
    gauge("etcdplatform.member.leader", "1 on the raft leader", m -> "Leader".equals(m.role()) ? 1 : 0);
    gauge("etcdplatform.member.learner", "1 on a learner (not yet voting)", m -> "Learner".equals(m.role()) ? 1 : 0);
    gauge("etcdplatform.member.db.size", "bytes", "size of the backend database file", m -> nanIfDown(m, m.dbSize()));
    gauge("etcdplatform.member.db.size.in.use", "bytes", "bytes of the database file in use; the rest is free pages "
        + "a defragmentation returns", m -> nanIfDown(m, m.dbSizeInUse()));
    gauge("etcdplatform.member.quota", "bytes", "the backend quota (--quota-backend-bytes)",
        m -> m.metrics() == null ? Double.NaN : m.metrics().quotaBackendBytes());
    gauge("etcdplatform.member.revision", "the member's current store revision", m -> nanIfDown(m, m.revision()));
    gauge("etcdplatform.member.raft.term", "the member's raft term", m -> nanIfDown(m, m.raftTerm()));
    gauge("etcdplatform.member.raft.index", "the member's raft index", m -> nanIfDown(m, m.raftIndex()));
    gauge("etcdplatform.member.raft.applied.index", "the member's applied raft index",
        m -> nanIfDown(m, m.raftAppliedIndex()));
    gauge("etcdplatform.member.proposals.pending", "proposals waiting to commit",
        m -> m.metrics() == null ? Double.NaN : m.metrics().proposalsPending());
    latency("etcdplatform.member.wal.fsync.p99", "p99 of WAL fsync durations", s -> s.walFsyncP99);
    latency("etcdplatform.member.backend.commit.p99", "p99 of backend commit durations", s -> s.backendCommitP99);
    latency("etcdplatform.member.peer.round.trip.p99", "p99 of round trips to its peers", s -> s.peerRoundTripP99);
    meters.add(FunctionCounter.builder("etcdplatform.member.leader.changes.seen", this, s -> s.leaderChangesSeen)
        .description("leader changes this member has seen (etcd_server_leader_changes_seen_total)")
        .tags(tags).register(registry));
    meters.add(FunctionCounter.builder("etcdplatform.member.proposals.failed", this, s -> s.proposalsFailed)
        .description("proposals that failed on this member (etcd_server_proposals_failed_total)")
        .tags(tags).register(registry));
    gauge("etcdplatform.member.watchers", "watchers registered on the member (etcd_debugging_mvcc_watcher_total)",
        m -> watch(m, WatchHealth::watchers));
    gauge("etcdplatform.member.slow.watchers", "watchers behind the store's revision, waiting to catch up "
        + "(etcd_debugging_mvcc_slow_watcher_total)", m -> watch(m, WatchHealth::slowWatchers));
    gauge("etcdplatform.member.watch.pending.events", "events waiting to be sent to slow watchers "
        + "(etcd_debugging_mvcc_pending_events_total)", m -> watch(m, WatchHealth::pendingEvents));
    meters.add(FunctionCounter.builder("etcdplatform.member.slow.applies", this, s -> s.slowApplies)
        .description("requests slower than --warning-apply-duration, each logged as 'apply request took too long' "
            + "(etcd_server_slow_apply_total)")
        .tags(tags).register(registry));
    meters.add(FunctionCounter.builder("etcdplatform.member.slow.read.indexes", this, s -> s.slowReadIndexes)
        .description("read-index requests that timed out or lagged the leader (etcd_server_slow_read_indexes_total)")
        .tags(tags).register(registry));
    update(first);
  }

  void update(MemberHealth health) {
    latest = health;
    MemberMetrics metrics = health.metrics();
    if (metrics != null) {
      walFsyncP99 = p99(metrics.walFsync(), previousMetrics == null ? null : previousMetrics.walFsync(), walFsyncP99);
      backendCommitP99 = p99(metrics.backendCommit(),
          previousMetrics == null ? null : previousMetrics.backendCommit(), backendCommitP99);
      peerRoundTripP99 = p99(metrics.peerRoundTrip(),
          previousMetrics == null ? null : previousMetrics.peerRoundTrip(), peerRoundTripP99);
      leaderChangesSeen = metrics.leaderChangesSeen();
      proposalsFailed = metrics.proposalsFailed();
      slowApplies = keepIfUnknown(metrics.watch().slowApplies(), slowApplies);
      slowReadIndexes = keepIfUnknown(metrics.watch().slowReadIndexes(), slowReadIndexes);
      previousMetrics = metrics;
    }
    if (health.version() != null && (info == null || !health.version().equals(info.getId().getTag("version")))) {
      if (info != null) {
        registry.remove(info);
        meters.remove(info);
      }
      info = Gauge.builder("etcdplatform.member.info", () -> 1).description("1, labelled with the member's etcd version")
          .tags(tags.and("version", health.version())).register(registry);
      meters.add(info);
    }
  }

  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
  }

  /** The p99 over the interval when it saw observations; else the last one; else the lifetime's. */
  private static double p99(Histogram now, Histogram before, double last) {
    if (before != null) {
      OptionalDouble interval = now.since(before).quantile(P99);
      if (interval.isPresent()) {
        return interval.getAsDouble();
      }
    }
    return Double.isNaN(last) ? now.quantile(P99).orElse(Double.NaN) : last;
  }

  private static double watch(MemberHealth m, ToDoubleFunction<WatchHealth> value) {
    return m.metrics() == null ? Double.NaN : value.applyAsDouble(m.metrics().watch());
  }

  /** A counter never goes to NaN: a pass that could not read it leaves the last value. */
  private static double keepIfUnknown(double now, double last) {
    return Double.isNaN(now) ? last : now;
  }

  private static double nanIfDown(MemberHealth m, long value) {
    return m.reachable() ? value : Double.NaN;
  }

  private void gauge(String name, String description, ToDoubleFunction<MemberHealth> value) {
    gauge(name, null, description, value);
  }

  private void gauge(String name, String unit, String description, ToDoubleFunction<MemberHealth> value) {
    meters.add(Gauge.builder(name, this, s -> value.applyAsDouble(s.latest)).baseUnit(unit).description(description)
        .tags(tags).register(registry));
  }

  private void latency(String name, String description, Function<MemberMeters, Double> value) {
    meters.add(Gauge.builder(name, this, s -> value.apply(s)).baseUnit("seconds").description(description)
        .tags(tags).register(registry));
  }
}
