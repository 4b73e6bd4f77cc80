package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.metrics.Histogram;
import io.etcdplatform.metrics.MemberMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftTimingAdvisorTest {

  private final RaftTimingAdvisor advisor = new RaftTimingAdvisor();

  private static MemberMetrics withRoundTrip(double p99Bound) {
    Histogram rtt = new Histogram(new double[] {p99Bound, Double.POSITIVE_INFINITY}, new double[] {100, 100});
    return new MemberMetrics(0, 0, 0, 0, null, null, rtt);
  }

  @Test
  void aLoopbackRoundTripFitsEtcdsDefaults() {
    assertThat(advisor.tooTight(List.of(withRoundTrip(0.0002)), RaftTiming.ETCD_DEFAULTS)).isEmpty();
    assertThat(advisor.recommend(List.of(withRoundTrip(0.0002)), RaftTiming.ETCD_DEFAULTS)).isEmpty();
  }

  @Test
  void aRoundTripNearTheHeartbeatGetsALargerSetting() {
    List<MemberMetrics> metrics = List.of(withRoundTrip(0.0002), withRoundTrip(0.08));
    assertThat(advisor.tooTight(metrics, RaftTiming.ETCD_DEFAULTS)).isPresent();
    RaftTiming advice = advisor.recommend(metrics, RaftTiming.ETCD_DEFAULTS).orElseThrow();
    assertThat(advice.heartbeatMillis()).isEqualTo(160);
    assertThat(advice.electionMillis()).isEqualTo(1600);
    assertThat(advisor.tooTight(metrics, advice)).isEmpty();
  }

  @Test
  void anElectionTimeoutSmallForTheRoundTripIsTooTight() {
    assertThat(advisor.tooTight(List.of(withRoundTrip(0.04)), new RaftTiming(100, 500))).isEmpty();
    assertThat(advisor.tooTight(List.of(withRoundTrip(0.04)), new RaftTiming(100, 300))).isPresent();
  }

  @Test
  void nothingMeasuredNoAdvice() {
    assertThat(advisor.tooTight(List.of(), RaftTiming.ETCD_DEFAULTS)).isEmpty();
    assertThat(advisor.tooTight(List.of(new MemberMetrics(0, 0, 0, 0, null, null, null)), RaftTiming.ETCD_DEFAULTS))
        .isEmpty();
  }
}
