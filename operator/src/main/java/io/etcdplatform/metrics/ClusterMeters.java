package io.etcdplatform.metrics;

import io.etcdplatform.etcd.Alarm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The {@code etcdplatform_cluster_*} meters of one cluster, and its members' meters. */
final class ClusterMeters {

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, MemberMeters> members = new HashMap<>();
  private final Counter leaderElections;
  private final Counter hashMismatches;
  private volatile ClusterHealth latest;
  private volatile double lastCompactionSeconds = Double.NaN;
  private volatile double compactedRevision = Double.NaN;
  private volatile double lastDefragmentationSeconds = Double.NaN;
  private volatile double lastBackupSeconds = Double.NaN;
  private volatile double lastVerifiedSeconds = Double.NaN;
  private final Timer defragmentations;
  private final MultiGauge keyspaceKeys;
  private volatile double keyspaceTotalKeys = Double.NaN;
  private volatile int desiredMembers;
  private volatile double consistent = Double.NaN;
  private long lastTerm;

  ClusterMeters(MeterRegistry registry, String namespace, String cluster) {
    this.registry = registry;
    this.tags = Tags.of("namespace", namespace, "cluster", cluster);
    gauge("etcdplatform.cluster.desired.members", "spec.replicas", s -> s.desiredMembers);
    gauge("etcdplatform.cluster.voting.members", "members with a vote (learners excluded)",
        s -> s.latest.votingMembers());
    gauge("etcdplatform.cluster.healthy.members", "voting members that answer and have a leader",
        s -> s.latest.healthyVoters());
    gauge("etcdplatform.cluster.has.leader", "1 when the members agree on a raft leader", s -> s.latest.leaderPresent() ? 1 : 0);
    gauge("etcdplatform.cluster.quorum", "1 when healthy voting members are a majority", s -> s.latest.quorum() ? 1 : 0);
    gauge("etcdplatform.cluster.consistent", "1 when the members' KV hashes agree at a common revision, 0 when they "
        + "differ, NaN before the first comparison", s -> s.consistent);
    gauge("etcdplatform.cluster.raft.term", "the highest raft term among the members", s -> s.latest.raftTerm());
    gauge("etcdplatform.cluster.revision.spread", "highest minus lowest member revision", s -> s.latest.revisionSpread());
    gauge("etcdplatform.cluster.raft.index.spread", "highest minus lowest member raft index",
        s -> s.latest.raftIndexSpread());
    for (Alarm.Kind kind : Alarm.Kind.values()) {
      meters.add(Gauge.builder("etcdplatform.cluster.alarms", this,
              s -> s.latest == null ? Double.NaN : s.latest.alarmCount(kind))
          .description("members with the alarm active").tags(tags.and("alarm", kind.name())).register(registry));
    }
    leaderElections = Counter.builder("etcdplatform.cluster.leader.elections")
        .description("raft term increases seen by the operator: each is an election, usually a leader change")
        .tags(tags).register(registry);
    hashMismatches = Counter.builder("etcdplatform.cluster.hash.mismatches")
        .description("consistency checks that found members disagreeing").tags(tags).register(registry);
    meters.add(leaderElections);
    meters.add(hashMismatches);
    gauge("etcdplatform.cluster.last.compaction.timestamp.seconds", "when the operator last compacted the history "
        + "(Unix time), NaN before the first", s -> s.lastCompactionSeconds);
    gauge("etcdplatform.cluster.compacted.revision", "the revision the history was last compacted to",
        s -> s.compactedRevision);
    gauge("etcdplatform.cluster.last.defragmentation.timestamp.seconds", "when the operator last defragmented a "
        + "member (Unix time), NaN before the first", s -> s.lastDefragmentationSeconds);
    gauge("etcdplatform.cluster.last.successful.backup.timestamp.seconds", "when the last backup of the cluster "
        + "succeeded (Unix time), NaN before the first since the operator started", s -> s.lastBackupSeconds);
    gauge("etcdplatform.backup.last.verified.timestamp.seconds", "when a backup of the cluster last passed a restore "
        + "drill (Unix time), NaN before the first since the operator started", s -> s.lastVerifiedSeconds);
    defragmentations = Timer.builder("etcdplatform.maintenance.defragmentation")
        .description("one member's defragmentation, during which it serves nothing").tags(tags).register(registry);
    meters.add(defragmentations);
    keyspaceKeys = MultiGauge.builder("etcdplatform.cluster.keyspace.keys")
        .description("keys under one of the largest prefixes at the last keyspace inspection")
        .tags(tags).register(registry);
    meters.add(Gauge.builder("etcdplatform.cluster.keyspace.total.keys", this, s -> s.keyspaceTotalKeys)
        .description("keys counted by the last keyspace inspection, NaN before the first").tags(tags)
        .register(registry));
  }

  void backupFinished(BackupResult result, Instant when) {
    Counter counter = Counter.builder("etcdplatform.backups")
        .description("backups finished, by result (success, failure, skipped)")
        .tags(tags.and("result", result.label())).register(registry);
    if (!meters.contains(counter)) {
      meters.add(counter);
    }
    counter.increment();
    if (result == BackupResult.SUCCESS) {
      lastBackupSeconds = when.getEpochSecond();
    }
  }

  void backupVerified(boolean passed, Instant when) {
    Counter counter = Counter.builder("etcdplatform.backup.verifications")
        .description("restore drills of backups finished, by result (success, failure)")
        .tags(tags.and("result", passed ? BackupResult.SUCCESS.label() : BackupResult.FAILURE.label()))
        .register(registry);
    if (!meters.contains(counter)) {
      meters.add(counter);
    }
    counter.increment();
    if (passed) {
      lastVerifiedSeconds = when.getEpochSecond();
    }
  }

  void defragmented(Instant when, Duration took) {
    defragmentations.record(took);
    lastDefragmentationSeconds = when.getEpochSecond();
  }

  /** Counts one maintenance operation (compact, defragment, disarm) and its outcome. */
  void maintenanceOperation(String operation, boolean succeeded) {
    Counter counter = Counter.builder("etcdplatform.maintenance.operations")
        .description("maintenance operations the operator carried out, by operation and result")
        .tags(tags.and("operation", operation, "result", succeeded ? "success" : "failure")).register(registry);
    if (!meters.contains(counter)) {
      meters.add(counter);
    }
    counter.increment();
  }

  void leaderChanged(String cause) {
    Counter counter = Counter.builder("etcdplatform.cluster.leader.changes")
        .description("leader changes the operator observed, by the cause it found")
        .tags(tags.and("cause", cause)).register(registry);
    if (!meters.contains(counter)) {
      meters.add(counter);
    }
    counter.increment();
  }

  void lastCompaction(Instant time, long revision) {
    lastCompactionSeconds = time.getEpochSecond();
    compactedRevision = revision;
  }

  /** The last keyspace inspection: its top prefixes only, so the label values stay few. */
  void keyspace(Map<String, Long> keysByTopPrefix, long totalKeys) {
    keyspaceKeys.register(keysByTopPrefix.entrySet().stream()
        .map(p -> MultiGauge.Row.of(Tags.of("prefix", p.getKey()), p.getValue()))
        .toList(), true);
    keyspaceTotalKeys = totalKeys;
  }

  void update(int desired, ClusterHealth health) {
    desiredMembers = desired;
    latest = health;
    if (lastTerm > 0 && health.raftTerm() > lastTerm) {
      leaderElections.increment(health.raftTerm() - lastTerm);
    }
    lastTerm = Math.max(lastTerm, health.raftTerm());
    health.consistency().ifPresent(c -> {
      switch (c.verdict()) {
        case CONSISTENT -> consistent = 1;
        case INCONSISTENT -> {
          consistent = 0;
          hashMismatches.increment();
        }
        case UNKNOWN -> { } // keep the last verdict
      }
    });
    Set<String> present = health.members().stream().map(MemberHealth::name).collect(Collectors.toSet());
    members.entrySet().removeIf(e -> {
      boolean gone = !present.contains(e.getKey());
      if (gone) {
        e.getValue().remove();
      }
      return gone;
    });
    for (MemberHealth member : health.members()) {
      MemberMeters existing = members.get(member.name());
      if (existing == null) {
        members.put(member.name(), new MemberMeters(registry, tags, member));
      } else {
        existing.update(member);
      }
    }
  }

  void remove() {
    keyspaceKeys.register(List.of(), true);
    members.values().forEach(MemberMeters::remove);
    members.clear();
    meters.forEach(registry::remove);
    meters.clear();
  }

  /** NaN until the cluster's health is first recorded (a backup may finish before that). */
  private void gauge(String name, String description, ToDoubleFunction<ClusterMeters> value) {
    meters.add(Gauge.builder(name, this, s -> s.latest == null ? Double.NaN : value.applyAsDouble(s))
        .description(description).tags(tags).register(registry));
  }
}
