package io.etcdplatform.metrics;

/**
 * One member as the health observer saw it.
 *
 * @param reachable answered its status call
 * @param role Leader, Follower or Learner
 * @param metrics its own /metrics, null when they could not be read
 */
public record MemberHealth(
    String name,
    boolean reachable,
    boolean healthy,
    String role,
    String version,
    long dbSize,
    long dbSizeInUse,
    long revision,
    long raftTerm,
    long raftIndex,
    long raftAppliedIndex,
    MemberMetrics metrics) {}
