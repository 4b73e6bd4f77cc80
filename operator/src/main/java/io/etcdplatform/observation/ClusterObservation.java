package io.etcdplatform.observation;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the planner decides on, observed in one pass: the etcd membership (empty when no
 * member answered) and the member pods.
 *
 * @param formedBefore the cluster had formed before (its ID is in the status): if no member
 *     answers now, quorum is lost rather than the cluster still forming
 * @param clusterId the etcd cluster ID, 0 when no member answered
 * @param leaderId the raft leader's member ID, 0 when there is none
 */
public record ClusterObservation(
    boolean formedBefore,
    long clusterId,
    List<EtcdMemberState> members,
    long leaderId,
    List<PodState> pods,
    Instant now) {

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

  /** The highest member ordinal, -1 without members. */
  public int highestOrdinal() {
    return members.stream().map(EtcdMemberState::ordinal).max(Comparator.naturalOrder()).orElse(-1);
  }
}
