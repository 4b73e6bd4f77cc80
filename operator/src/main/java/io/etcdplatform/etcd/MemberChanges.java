package io.etcdplatform.etcd;

/**
 * The membership changes the operator asks of etcd. Each may take effect and still fail for the
 * caller (its answer lost to a deadline or a killed operator): callers observe again, never assume.
 */
public interface MemberChanges {

  /** Adds a learner and returns its member ID. */
  long addLearner(String peerUrl);

  void promote(long memberId);

  /** Sent to the leader's own endpoint: only the leader serves it. */
  void moveLeader(String leaderClientUrl, long toMemberId);

  /** Removes a member; one already gone counts as removed. */
  void remove(long memberId);
}
