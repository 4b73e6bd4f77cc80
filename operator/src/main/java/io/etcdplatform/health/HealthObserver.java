package io.etcdplatform.health;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.metrics.MemberHealth;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Turns one pass's membership observation, plus alarms, members' /metrics and (when asked) their
 * KV hashes, into a {@link ClusterHealth}. Stateless: what changes between passes (leader
 * changes, latencies over an interval) is the meters' business.
 */
public final class HealthObserver {

  private HealthObserver() {}

  public static ClusterHealth observe(ClusterObservation observation, HealthProbe probe, boolean checkConsistency) {
    List<EtcdMemberState> reachable = observation.members().stream().filter(m -> m.stats() != null).toList();
    List<MemberHealth> members = observation.members().stream()
        .map(m -> member(m, observation.leaderId(), m.stats() == null ? null : probe.metrics(m.name()).orElse(null)))
        .toList();
    // the alarm list is a raft request: without a quorum it would cost a deadline and answer nothing
    List<Alarm> alarms = observation.hasQuorum() ? alarms(observation, probe) : List.of();
    Optional<Consistency> consistency = checkConsistency && !reachable.isEmpty()
        ? Optional.of(consistency(reachable, probe)) : Optional.empty();
    return new ClusterHealth(observation.voters().size(), (int) observation.healthyVoters(),
        observation.leader().isPresent(), observation.hasQuorum(),
        reachable.isEmpty() ? 0 : stats(reachable, s -> s.stats().raftTerm()).getMax(),
        spread(reachable, s -> s.stats().revision()), spread(reachable, EtcdMemberState::raftIndex),
        alarms, consistency, members);
  }

  private static MemberHealth member(EtcdMemberState m, long leaderId, MemberMetrics metrics) {
    String role = m.learner() ? "Learner" : m.id() == leaderId ? "Leader" : "Follower";
    var s = m.stats();
    return s == null
        ? new MemberHealth(m.name(), false, false, role, null, 0, 0, 0, 0, 0, 0, null)
        : new MemberHealth(m.name(), true, m.healthy(), role, s.version(), s.dbSize(), s.dbSizeInUse(), s.revision(),
            s.raftTerm(), m.raftIndex(), s.raftAppliedIndex(), metrics);
  }

  private static List<Alarm> alarms(ClusterObservation observation, HealthProbe probe) {
    return probe.alarms().stream()
        .map(a -> new Alarm(observation.members().stream().filter(m -> m.id() == a.memberId())
            .map(EtcdMemberState::name).findFirst().orElse(Long.toHexString(a.memberId())), a.kind()))
        .distinct().toList();
  }

  /** Every reachable member's hash at the lowest revision they all have. */
  private static Consistency consistency(List<EtcdMemberState> reachable, HealthProbe probe) {
    long revision = stats(reachable, s -> s.stats().revision()).getMin();
    Map<String, MemberHash> hashes = new LinkedHashMap<>();
    for (EtcdMemberState member : reachable) {
      probe.hashKv(member.name(), revision).ifPresent(h -> hashes.put(member.name(), h));
    }
    return Consistency.of(revision, hashes);
  }

  private static long spread(List<EtcdMemberState> members, ToLongFunction<EtcdMemberState> value) {
    LongSummaryStatistics stats = stats(members, value);
    return members.isEmpty() ? 0 : stats.getMax() - stats.getMin();
  }

  private static LongSummaryStatistics stats(List<EtcdMemberState> members, ToLongFunction<EtcdMemberState> value) {
    return members.stream().mapToLong(value).summaryStatistics();
  }
}
