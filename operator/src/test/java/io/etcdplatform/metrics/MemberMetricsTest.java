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
  void readsTheWatchFamiliesAsEtcd36ExposesThem() {
    // Captured from etcd 3.6.16 (3.5.35 serves the same names and HELP texts) with a blocked watcher.
    WatchHealth watch = MemberMetrics.parse("""
        # HELP etcd_debugging_mvcc_pending_events_total Total number of pending events to be sent.
        # TYPE etcd_debugging_mvcc_pending_events_total gauge
        etcd_debugging_mvcc_pending_events_total 1742
        # HELP etcd_debugging_mvcc_slow_watcher_total Total number of unsynced slow watchers.
        # TYPE etcd_debugging_mvcc_slow_watcher_total gauge
        etcd_debugging_mvcc_slow_watcher_total 7
        # HELP etcd_debugging_mvcc_watch_stream_total Total number of watch streams.
        # TYPE etcd_debugging_mvcc_watch_stream_total gauge
        etcd_debugging_mvcc_watch_stream_total 20
        # HELP etcd_debugging_mvcc_watcher_total Total number of watchers.
        # TYPE etcd_debugging_mvcc_watcher_total gauge
        etcd_debugging_mvcc_watcher_total 20
        # HELP etcd_server_slow_apply_total The total number of slow apply requests (likely overloaded from slow disk).
        # TYPE etcd_server_slow_apply_total counter
        etcd_server_slow_apply_total 3
        # HELP etcd_server_slow_read_indexes_total The total number of pending read indexes not in sync with leader's or timed out read index requests.
        # TYPE etcd_server_slow_read_indexes_total counter
        etcd_server_slow_read_indexes_total 2
        """).watch();

    assertThat(watch).isEqualTo(new WatchHealth(20, 7, 1742, 3, 2));
  }

  @Test
  void aWatchFamilyTheMemberDoesNotExposeIsUnknownNotZero() throws IOException {
    WatchHealth watch = MemberMetrics.parse(recorded()).watch();

    assertThat(watch.watchers()).as("the recording has no mvcc families").isNaN();
    assertThat(watch.slowWatchers()).isNaN();
    assertThat(watch.slowApplies()).isZero();
    assertThat(watch.slowReadIndexes()).isZero();
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
