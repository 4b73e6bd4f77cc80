package io.etcdplatform.insight;

/** The cluster's raft timing from spec.etcd: heartbeatIntervalMillis and electionTimeoutMillis. */
public record RaftTiming(int heartbeatMillis, int electionMillis) {

  public static final RaftTiming ETCD_DEFAULTS = new RaftTiming(100, 1000);
}
