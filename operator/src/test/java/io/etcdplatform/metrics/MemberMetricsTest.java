package io.etcdplatform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real etcd 3.6 follower's /metrics (recorded from a 3-member cluster after 50 writes). */
class MemberMetricsTest {

  @Test
  void readsTheFamiliesTheOperatorExportsFromARecordedMember() throws IOException {
    MemberMetrics metrics = MemberMetrics.from(PrometheusText.parse(recorded()));

    assertThat(metrics.leaderChangesSeen()).isEqualTo(1);
    assertThat(metrics.proposalsFailed()).isZero();
    assertThat(metrics.proposalsPending()).isZero();
    assertThat(metrics.quotaBackendBytes()).isEqualTo(2_147_483_648d);
    assertThat(metrics.walFsync().count()).isEqualTo(58);
    assertThat(metrics.backendCommit().count()).isPositive();
    assertThat(metrics.peerRoundTrip().count()).as("both peers' round trips, merged").isEqualTo(4);
    assertThat(metrics.walFsync().quantile(0.99)).isPresent();
  }

  @Test
  void parsesLabelsWithEscapesAndSpecialValues() {
    var samples = PrometheusText.parse("""
        # HELP x a help text
        # TYPE x gauge
        x{path="C:\\\\DIR",msg="say \\"hi\\"\\n"} +Inf 1700000000000
        y NaN
        z{a="1", b="2"} -3.5e-2
        """);

    assertThat(samples).hasSize(3);
    assertThat(samples.get(0).labels()).isEqualTo(Map.of("path", "C:\\DIR", "msg", "say \"hi\"\n"));
    assertThat(samples.get(0).value()).isInfinite();
    assertThat(samples.get(1).value()).isNaN();
    assertThat(samples.get(2).labels()).containsEntry("b", "2");
    assertThat(samples.get(2).value()).isCloseTo(-0.035, within(1e-12));
  }

  @Test
  void aMalformedLineIsRefused() {
    assertThatThrownBy(() -> PrometheusText.parse("x{a=\"1\" 2")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> PrometheusText.parse("lonely")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String recorded() throws IOException {
    try (InputStream in = MemberMetricsTest.class.getResourceAsStream("/health/etcd-3.6.16-follower-metrics.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
