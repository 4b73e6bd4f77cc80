package io.etcdplatform.observation;

import java.time.Instant;

/**
 * One etcd member as observed through the etcd API.
 *
 * @param ordinal the StatefulSet ordinal of the member's pod (member name = pod name)
 * @param started has ever run (it published its client URLs); an initial member that has not
 *     started yet, or a learner just added, has not
 * @param healthy answered its status call and has a leader
 * @param raftIndex its raft index; learners and restarted members are caught up when close to the leader's
 * @param unhealthySince when it was first seen unhealthy (its pod's Ready condition), null when healthy
 * @param stats what its status call reported, null when it did not answer
 */
public record EtcdMemberState(
    long id,
    String name,
    int ordinal,
    boolean started,
    boolean learner,
    boolean healthy,
    long raftIndex,
    Instant unhealthySince,
    MemberStats stats) {

  /** What a member reports about itself, for the status a person reads. */
  public record MemberStats(String version, long dbSize, long dbSizeInUse, long revision, long raftTerm,
      long raftAppliedIndex) {}

  public boolean voter() {
    return !learner;
  }
}
