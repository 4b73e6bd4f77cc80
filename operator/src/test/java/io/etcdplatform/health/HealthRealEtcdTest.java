package io.etcdplatform.health;

import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.metrics.MemberMetricsReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.metrics.Consistency.Verdict;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The health observer and the fleet meters on three real etcd 3.6 processes. */
class HealthRealEtcdTest {

  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private HealthProbe probe;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FleetMeters meters = new FleetMeters(registry);

  @BeforeEach
  void start(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("h", Path.of("target", "etcd-tests", name).toAbsolutePath(), 90,
        Binaries.etcd("etcd"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    probe = new EtcdHealthProbe(driver.connection(), new MemberMetricsReader(Duration.ofSeconds(2)), cluster.access());
    try (AcknowledgedWrites writes = new AcknowledgedWrites(cluster.clientUrls())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writes.count() > 200);
    }
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aHealthyClusterAgreesOnItsDataAndReportsItsMembersOwnMetrics() {
    // etcd probes its peers' round trip every few seconds: wait for every member's first
    ClusterHealth health = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
        .until(() -> HealthObserver.observe(driver.observe(), probe, true), h -> h.members().stream()
            .allMatch(m -> m.metrics() != null && m.metrics().peerRoundTrip().count() > 0));

    assertThat(health.consistency().orElseThrow().verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(health.consistency().orElseThrow().message()).startsWith("3 members agree at revision");
    assertThat(health.leaderPresent()).isTrue();
    assertThat(health.quorum()).isTrue();
    assertThat(health.members()).allSatisfy(m -> {
      assertThat(m.metrics()).as("%s /metrics", m.name()).isNotNull();
      assertThat(m.metrics().walFsync().count()).isPositive();
      assertThat(m.metrics().peerRoundTrip().count()).as("round trips to its two peers").isPositive();
      assertThat(m.metrics().quotaBackendBytes()).isEqualTo(2_147_483_648d);
    });
  }

  @Test
  void killingTheLeaderIsCountedAsAnElectionAndAsALeaderChangeEachMemberSaw() {
    meters.record("ns", "h", 3, HealthObserver.observe(driver.observe(), probe, false));
    String leader = driver.observe().leader().orElseThrow().name();

    cluster.crash(leader);
    await().atMost(Duration.ofSeconds(30)).until(() -> driver.observe().leader().map(m -> !m.name().equals(leader))
        .orElse(false));
    driver.converge(3, Duration.ofSeconds(60)); // the old leader back as a follower
    meters.record("ns", "h", 3, HealthObserver.observe(driver.observe(), probe, true));

    String scrape = registry.scrape();
    assertThat(counter(scrape, "etcdplatform_cluster_leader_elections_total{")).isGreaterThanOrEqualTo(1);
    assertThat(scrape.lines().filter(l -> l.startsWith("etcdplatform_member_leader_changes_seen_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElseThrow())
        .as("leader changes a surviving member saw: the first election and this one").isGreaterThanOrEqualTo(2);
    assertThat(scrape).contains("etcdplatform_cluster_consistent{cluster=\"h\",namespace=\"ns\"} 1.0");
  }

  private static double counter(String scrape, String prefix) {
    return scrape.lines().filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
