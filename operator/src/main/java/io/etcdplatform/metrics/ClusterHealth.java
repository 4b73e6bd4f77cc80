package io.etcdplatform.metrics;

import io.etcdplatform.etcd.Alarm;
import java.util.List;
import java.util.Optional;

/**
 * One cluster's health as observed in one pass.
 *
 * @param quorum healthy voting members are a majority of the voting members
 * @param raftTerm the highest raft term a member reports; each election raises it
 * @param revisionSpread highest minus lowest revision among the members that answered
 * @param raftIndexSpread the same for raft indexes
 * @param alarms active alarms, one per member and kind
 * @param consistency present when the hashes were compared in this pass
 */
public record ClusterHealth(
    int votingMembers,
    int healthyVoters,
    boolean leaderPresent,
    boolean quorum,
    long raftTerm,
    long revisionSpread,
    long raftIndexSpread,
    List<Alarm> alarms,
    Optional<Consistency> consistency,
    List<MemberHealth> members) {

  public long alarmCount(Alarm.Kind kind) {
    return alarms.stream().filter(a -> a.kind() == kind).count();
  }
}
