package io.etcdplatform.observation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Everything the planner decides on, observed in one pass: the etcd membership (empty when no
 * member answered) and the member pods.
 *
 * @param formedBefore the cluster had formed before (its ID is in the status): if no member
 *     answers now, quorum is lost rather than the cluster still forming
 * @param clusterId the etcd cluster ID, 0 when no member answered
 * @param leaderId the raft leader's member ID, 0 when there is none
 * @param dataBeingDeleted members (by name) whose data claim is being deleted: the data of a member
 *     that was removed or replaced, which no member joining under that name may start on
 */
public record ClusterObservation(
    boolean formedBefore,
    long clusterId,
    List<EtcdMemberState> members,
    long leaderId,
    List<PodState> pods,
    Instant now,
    Set<String> dataBeingDeleted) {

  public ClusterObservation(boolean formedBefore, long clusterId, List<EtcdMemberState> members, long leaderId,
      List<PodState> pods, Instant now) {
    this(formedBefore, clusterId, members, leaderId, pods, now, Set.of());
  }

  public ClusterObservation withDataBeingDeleted(Set<String> names) {
    return new ClusterObservation(formedBefore, clusterId, members, leaderId, pods, now, Set.copyOf(names));
  }

  /**
   * What an earlier member of this ordinal left behind is still there: its data claim being deleted,
   * its pod Terminating, or a pod beyond the highest member that the StatefulSet has yet to delete
   * (it would keep it were the StatefulSet grown again now). A member joining under that name
   * could start on the earlier member's data.
   */
  public boolean leftoversOf(String name, int ordinal) {
    return dataBeingDeleted.contains(name)
        || pod(name).map(p -> p.terminating() || ordinal > highestOrdinal()).orElse(false);
  }

  public boolean reachable() {
    return !members.isEmpty();
  }

  public List<EtcdMemberState> voters() {
    return members.stream().filter(EtcdMemberState::voter).toList();
  }

  public List<EtcdMemberState> learners() {
    return members.stream().filter(EtcdMemberState::learner).toList();
  }

  public Optional<EtcdMemberState> leader() {
    return members.stream().filter(m -> m.id() == leaderId).findFirst();
  }

  public Optional<PodState> pod(String name) {
    return pods.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Optional<EtcdMemberState> member(int ordinal) {
    return members.stream().filter(m -> m.ordinal() == ordinal).findFirst();
  }

  /** A majority of {@code voters}: the fewest healthy voters that keep a cluster of that size writable. */
  public static int quorum(int voters) {
    return voters / 2 + 1;
  }

  public long healthyVoters() {
    return voters().stream().filter(EtcdMemberState::healthy).count();
  }

  /** A majority of the voting members is healthy: the cluster can commit. */
  public boolean hasQuorum() {
    List<EtcdMemberState> voters = voters();
    return !voters.isEmpty() && healthyVoters() >= quorum(voters.size());
  }

  /** How many raft entries the member trails the leader by; empty without an observed leader. */
  public OptionalLong lagBehindLeader(EtcdMemberState member) {
    return leader().map(l -> OptionalLong.of(l.raftIndex() - member.raftIndex())).orElse(OptionalLong.empty());
  }

  /** Within {@code maxLag} raft entries of the leader. With no observed leader nobody is caught up. */
  public boolean caughtUp(EtcdMemberState member, long maxLag) {
    OptionalLong lag = lagBehindLeader(member);
    return lag.isPresent() && lag.getAsLong() <= maxLag;
  }

  /** The first of {@code members} that is not caught up. */
  public Optional<EtcdMemberState> firstNotCaughtUp(List<EtcdMemberState> members, long maxLag) {
    return members.stream().filter(m -> !caughtUp(m, maxLag)).findFirst();
  }

  /**
   * Pods within the StatefulSet's reach (up to the highest member) that are no member of the
   * cluster: e.g. a lower member removed by a scale-down while it was failed, its pod crash-looping.
   */
  public List<PodState> podsWithoutMember() {
    int highest = highestOrdinal();
    return pods.stream().filter(p -> !p.terminating() && p.ordinal() <= highest && member(p.ordinal()).isEmpty())
        .toList();
  }

  /** The highest member ordinal, -1 without members. */
  public int highestOrdinal() {
    return members.stream().map(EtcdMemberState::ordinal).max(Comparator.naturalOrder()).orElse(-1);
  }
}
