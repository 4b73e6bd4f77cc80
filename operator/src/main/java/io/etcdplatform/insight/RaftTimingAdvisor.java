package io.etcdplatform.insight;

import io.etcdplatform.metrics.MemberMetrics;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Compares the measured peer round trip with spec.etcd's heartbeat and election timeout, after
 * etcd's tuning guide: the heartbeat about the round trip, the election timeout at least 10 x the
 * round trip. A heartbeat below twice the round trip is called close to it.
 */
public final class RaftTimingAdvisor {

  /** Why the timing is too tight for the measured round trip, empty when it is not or nothing was measured. */
  public Optional<String> tooTight(Collection<MemberMetrics> metrics, RaftTiming timing) {
    OptionalDouble rtt = worstRoundTripP99(metrics);
    if (rtt.isEmpty()) {
      return Optional.empty();
    }
    double rttMillis = rtt.getAsDouble() * 1000;
    if (rttMillis * 2 <= timing.heartbeatMillis() && rttMillis * 10 <= timing.electionMillis()) {
      return Optional.empty();
    }
    return Optional.of("peer round trip p99 " + LeaderChangeClassifier.millis(rtt.getAsDouble())
        + " ms against spec.etcd.heartbeatIntervalMillis " + timing.heartbeatMillis()
        + " and electionTimeoutMillis " + timing.electionMillis());
  }

  /** A setting that fits the measured round trip, empty when the current one does. */
  public Optional<RaftTiming> recommend(Collection<MemberMetrics> metrics, RaftTiming timing) {
    if (tooTight(metrics, timing).isEmpty()) {
      return Optional.empty();
    }
    double rttMillis = worstRoundTripP99(metrics).getAsDouble() * 1000;
    int heartbeat = Math.max(timing.heartbeatMillis(), roundUpToTen(rttMillis * 2));
    int election = Math.max(timing.electionMillis(), Math.max(10 * heartbeat, roundUpToTen(rttMillis * 10)));
    return Optional.of(new RaftTiming(heartbeat, election));
  }

  private static int roundUpToTen(double millis) {
    return (int) Math.ceil(millis / 10) * 10;
  }

  private static OptionalDouble worstRoundTripP99(Collection<MemberMetrics> metrics) {
    return metrics.stream().filter(Objects::nonNull).map(MemberMetrics::peerRoundTrip).filter(Objects::nonNull)
        .map(h -> h.quantile(0.99)).filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble)
        .max();
  }
}
