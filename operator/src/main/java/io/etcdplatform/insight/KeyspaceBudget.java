package io.etcdplatform.insight;

import java.time.Duration;

/** How far one keyspace inspection may go: at most maxKeys keys, at most maxTime of reading. */
public record KeyspaceBudget(long maxKeys, Duration maxTime) {

  public KeyspaceBudget {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("spec.insight.keyspace.maxKeys must be at least 1, was " + maxKeys);
    }
    if (maxTime == null || maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("spec.insight.keyspace.maxSeconds must be positive, was " + maxTime);
    }
  }
}
