package io.etcdplatform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.metrics.WatchHealth;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watchers that fall behind, made on a real etcd member (3.6 and 3.5): many watchers on a busy prefix
 * whose consumer blocks, a writer that writes fast, and the member's /metrics read through the
 * operator's reader and meters.
 */
class WatchHealthRealEtcdTest {

  private static final int WATCHERS = 20;
  private static final int MAX_WRITES = 20_000;
  private static final Duration WRITE_BUDGET = Duration.ofSeconds(60);
  private static final ByteSequence PREFIX = bytes("/registry/pods/busy/");

  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private Client watching;
  private Client writing;
  private final CountDownLatch releaseConsumer = new CountDownLatch(1);
  private final List<Watch.Watcher> watchers = new ArrayList<>();

  private void start(Path etcd, String name) {
    cluster = new EtcdProcessCluster("wh", Path.of("target", "etcd-tests", name).toAbsolutePath(), 240, etcd);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(1, Duration.ofSeconds(60));
    watching = Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build();
    writing = Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build();
  }

  @AfterEach
  void stop() {
    releaseConsumer.countDown();
    watchers.forEach(Watch.Watcher::close);
    for (Client client : new Client[] {watching, writing}) {
      if (client != null) {
        client.close();
      }
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aBlockedConsumerOfABusyPrefixShowsAsSlowWatchersWithPendingEvents() throws Exception {
    start(Binaries.etcd("etcd"), "watch-health-3.6");
    blockedWatchersFallBehind();
  }

  @Test
  void etcd35ReportsItsSlowWatchersUnderTheSameNames() throws Exception {
    start(Binaries.etcd35("etcd"), "watch-health-3.5");
    blockedWatchersFallBehind();
  }

  private void blockedWatchersFallBehind() throws Exception {
    String member = driver.observe().members().get(0).name();
    MemberMetricsReader reader = new MemberMetricsReader(Duration.ofSeconds(2));
    WatchHealth idle = reader.read(cluster.access(), member).orElseThrow().watch();
    WatchOption prefix = WatchOption.builder().isPrefix(true).build();
    for (int i = 0; i < WATCHERS; i++) {
      // The consumer blocks on its first event (bounded), so the client stops reading its streams.
      watchers.add(watching.getWatchClient().watch(PREFIX, prefix, response -> awaitRelease()));
    }

    WatchHealth behind = writeUntilWatchersFallBehind(reader, member);

    assertThat(idle.watchers()).as("no watcher before the test opened them").isZero();
    assertThat(idle.slowWatchers()).as("none behind before the writes").isZero();
    // isFinite first: AssertJ orders NaN above every number, so a family parsed as absent would pass isPositive.
    assertThat(behind.watchers()).as("the watchers the test opened").isFinite().isGreaterThanOrEqualTo(WATCHERS);
    assertThat(behind.slowWatchers()).as("watchers whose client stopped reading").isFinite().isPositive();
    assertThat(behind.pendingEvents()).as("events held for them").isFinite().isPositive();

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EtcdHealthProbe probe = new EtcdHealthProbe(driver.connection(), reader, cluster.access());
    new FleetMeters(registry).record("ns", "wh", 1, HealthObserver.observe(driver.observe(), probe, false));
    String scrape = registry.scrape();
    assertThat(value(scrape, "etcdplatform_member_watchers{")).isFinite().isGreaterThanOrEqualTo(WATCHERS);
    assertThat(value(scrape, "etcdplatform_member_slow_watchers{")).isFinite().isPositive();
    assertThat(value(scrape, "etcdplatform_member_watch_pending_events{")).isFinite().isPositive();
    assertThat(scrape).contains("etcdplatform_member_slow_applies_total{cluster=\"wh\",member=\"" + member + "\"");
  }

  /** Writes 1 KiB values under the prefix until the member reports slow watchers, within a budget. */
  private WatchHealth writeUntilWatchersFallBehind(MemberMetricsReader reader, String member) throws Exception {
    ByteSequence value = ByteSequence.from(new byte[1024]);
    long deadline = System.nanoTime() + WRITE_BUDGET.toNanos();
    WatchHealth last = WatchHealth.UNKNOWN;
    for (int i = 0; i < MAX_WRITES && System.nanoTime() < deadline; i++) {
      writing.getKVClient().put(bytes("/registry/pods/busy/pod-" + (i % 500)), value).get(5, TimeUnit.SECONDS);
      if (i % 200 == 199) {
        Optional<MemberMetrics> metrics = reader.read(cluster.access(), member);
        last = metrics.map(MemberMetrics::watch).orElse(last);
        if (last.slowWatchers() > 0 && last.pendingEvents() > 0) {
          System.out.printf("watch-health: after %d writes: %s%n", i + 1, last);
          return last;
        }
      }
    }
    return last;
  }

  private void awaitRelease() {
    try {
      releaseConsumer.await(WRITE_BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double value(String scrape, String seriesPrefix) {
    return scrape.lines().filter(l -> l.startsWith(seriesPrefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
