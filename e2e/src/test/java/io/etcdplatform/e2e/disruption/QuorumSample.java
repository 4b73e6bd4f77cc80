package io.etcdplatform.e2e.disruption;

import java.time.Instant;

/**
 * One look at the voting members: how many there are (the leader's member list), how many of them
 * answered their status within the deadline, how many calls timed out instead, and whether an
 * answering voter named a voting leader.
 */
public record QuorumSample(Instant at, int voters, int answering, int timedOut, boolean leaderKnown) {

  public static int quorum(int voters) {
    return voters / 2 + 1;
  }

  /** Fewer voters answered than a quorum. */
  public boolean belowQuorum() {
    return answering < quorum(voters);
  }

  /** Below quorum, but the calls that timed out could have been the missing answers: the monitor cannot tell. */
  public boolean excusedByTimeouts() {
    return belowQuorum() && answering + timedOut >= quorum(voters);
  }

  @Override
  public String toString() {
    return at + ": " + answering + " of " + voters + " voters answered (" + timedOut + " timed out)"
        + (leaderKnown ? "" : ", no leader");
  }
}
