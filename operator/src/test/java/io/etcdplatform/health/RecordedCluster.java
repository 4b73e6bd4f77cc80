package io.etcdplatform.health;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.metrics.MemberMetrics;

import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded answers of a three-member cluster {@code a} (a-0 leads): membership and status as the
 * observer would have seen them, and a probe that replays alarms, hashes and /metrics.
 */
final class RecordedCluster implements HealthProbe {

  static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String METRICS = read("/health/etcd-3.6.16-follower-metrics.txt");

  final List<EtcdMemberState> members = new ArrayList<>();
  final Map<String, Long> hashes = new HashMap<>();
  final List<Alarm.Raised> alarms = new ArrayList<>();
  int alarmListsAsked;
  final List<String> silent = new ArrayList<>();
  long leaderId = 1;

  RecordedCluster() {
    for (int i = 0; i < 3; i++) {
      answering(i, 100 + i, 2);
      hashes.put("a-" + i, 0xabcL);
    }
  }

  /** Member a-i answering with store revision {@code revision} and raft term {@code term}. */
  RecordedCluster answering(int i, long revision, long term) {
    members.removeIf(m -> m.ordinal() == i);
    silent.remove("a-" + i);
    members.add(new EtcdMemberState(i + 1, "a-" + i, i, true, false, true, 1000 + i, null,
        new MemberStats("3.6.16", 20480, 16384, revision, term, 1000 + i)));
    return this;
  }

  /** Member a-i stops answering: no status, no hash, no /metrics. */
  RecordedCluster silent(int i) {
    members.removeIf(m -> m.ordinal() == i);
    members.add(new EtcdMemberState(i + 1, "a-" + i, i, true, false, false, 0, NOW.minusSeconds(30), null));
    silent.add("a-" + i);
    return this;
  }

  ClusterObservation observation() {
    boolean leaderAnswers = members.stream().anyMatch(m -> m.id() == leaderId && m.healthy());
    return new ClusterObservation(true, 0x1234, List.copyOf(members), leaderAnswers ? leaderId : 0, List.of(), NOW);
  }

  @Override
  public List<Alarm.Raised> alarms() {
    alarmListsAsked++;
    return alarms;
  }

  @Override
  public Optional<MemberHash> hashKv(String member, long revision) {
    return silent.contains(member) ? Optional.empty() : Optional.of(new MemberHash(hashes.get(member), 50));
  }

  @Override
  public Optional<MemberMetrics> metrics(String member) {
    return silent.contains(member) ? Optional.empty()
        : Optional.of(MemberMetrics.parse(METRICS));
  }

  private static String read(String resource) {
    try (InputStream in = RecordedCluster.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
