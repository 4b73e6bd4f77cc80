package io.etcdplatform.insight;

/** Why the raft leader changed, as far as the evidence the operator has can tell. */
public enum LeaderChangeCause {
  PlannedMove,
  LeaderRestarted,
  LeaderUnresponsive,
  SlowDisk,
  NetworkLatency,
  Unknown;

  /** Expected causes are Normal Events; the others are Warnings. */
  public boolean expected() {
    return this == PlannedMove;
  }
}
