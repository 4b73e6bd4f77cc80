package io.etcdplatform.bench;

import io.etcdplatform.cluster.QuorumWatch;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.health.EtcdHealthProbe;
import io.etcdplatform.health.HealthObserver;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cost of observing health: one pass (member list, statuses, alarms, each member's /metrics,
 * HashKV, meters) over 1, 10 and 50 single-member clusters of real etcd, the CPU it takes and
 * this JVM's resident memory, beside the same JVM idle, measured in the same run; the quorum
 * watch's probes over the same clusters beside the pass; and on three members, the time from two
 * of them stopping (SIGSTOP) to the watch's pass, and that pass's own time.
 */
public final class HealthBenchmark {

  private static final Path WORK = Path.of("target", "bench-health").toAbsolutePath();
  private static final int CYCLES = 10;
  private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(60);
  private static final Duration QUORUM_CHECK_INTERVAL = Duration.ofSeconds(5);
  private static final Duration PROBED_FOR = Duration.ofSeconds(10);

  private HealthBenchmark() {}

  record Row(int clusters, double cycleMillis, double perClusterP50, double perClusterMax, double cpuMillisPerCycle,
      long rssMiB, int scrapeKiB, double probeCpuMillis) {}

  public static void main(String[] args) throws Exception {
    Path etcd = Binaries.etcd("etcd");
    long idleRss = ProcessStats.rssMiB();
    List<Row> rows = new ArrayList<>();
    for (int clusters : new int[] {1, 10, 50}) {
      rows.add(measure(etcd, clusters));
    }
    System.out.printf("%nHealth observation (real etcd 3.6, single-member clusters, %d passes each; idle JVM RSS %d MiB)%n",
        CYCLES, idleRss);
    System.out.printf("%-9s %12s %14s %14s %14s %18s %9s %11s %12s%n", "clusters", "pass (ms)", "per cluster",
        "per cl. max", "CPU ms/pass", "CPU at 60 s pass", "RSS MiB", "RSS / idle", "/metrics KiB");
    for (Row r : rows) {
      System.out.printf("%-9d %12.1f %14.2f %14.2f %14.1f %17.3f%% %9d %10.2fx %12d%n", r.clusters(), r.cycleMillis(),
          r.perClusterP50(), r.perClusterMax(), r.cpuMillisPerCycle(),
          100 * r.cpuMillisPerCycle() / HEALTH_INTERVAL.toMillis(), r.rssMiB(), (double) r.rssMiB() / idleRss,
          r.scrapeKiB());
    }
    System.out.printf("%nQuorum watch (a probe: every voter's status at once) beside the pass, same clusters%n");
    System.out.printf("%-9s %18s %18s %22s %22s%n", "clusters", "CPU ms/probe/cl.", "probe / pass", "CPU at 5 s probes",
        "CPU at 60 s passes");
    for (Row r : rows) {
      double passPerCluster = r.cpuMillisPerCycle() / r.clusters();
      System.out.printf("%-9d %18.3f %17.2fx %21.3f%% %21.3f%%%n", r.clusters(), r.probeCpuMillis(),
          r.probeCpuMillis() / passPerCluster,
          100 * r.clusters() * r.probeCpuMillis() / QUORUM_CHECK_INTERVAL.toMillis(),
          100 * r.cpuMillisPerCycle() / HEALTH_INTERVAL.toMillis());
    }
    quorumLoss(etcd);
  }

  /** Three members, two stopped: how soon the watch brings a pass, and how long that pass takes. */
  private static void quorumLoss(Path etcd) throws Exception {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("q", WORK.resolve("quorum-loss"), 180, etcd);
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
         EtcdConnections connections = new EtcdConnections(Duration.ofSeconds(5))) {
      driver.converge(3, Duration.ofSeconds(60));
      QuorumWatch watch = new QuorumWatch(connections, QUORUM_CHECK_INTERVAL, Duration.ofSeconds(5));
      CountDownLatch brought = new CountDownLatch(1);
      watch.setEventHandler(event -> brought.countDown());
      watch.start();
      watch.watch(new ResourceID("q", "bench"), cluster.access(), driver.observe());
      long stopped = System.nanoTime();
      cluster.pause("q-1", true);
      cluster.pause("q-2", true);
      boolean fired = brought.await(60, TimeUnit.SECONDS);
      double detectSeconds = (System.nanoTime() - stopped) / 1e9;
      long t = System.nanoTime();
      var observation = driver.observe();
      HealthObserver.observe(observation, new EtcdHealthProbe(driver.connection(),
          new MemberMetricsReader(Duration.ofSeconds(5)), cluster.access()), false);
      double passSeconds = (System.nanoTime() - t) / 1e9;
      watch.stop();
      System.out.printf("%n2 of 3 members stopped: the quorum watch (every %d s) brought a pass after %s;"
              + " that pass (observe + health, etcd deadline 5 s) took %.1f s and found quorum %s%n",
          QUORUM_CHECK_INTERVAL.toSeconds(), fired ? String.format("%.1f s", detectSeconds) : "no pass in 60 s",
          passSeconds, observation.hasQuorum() ? "kept" : "lost");
    }
  }

  private static Row measure(Path etcd, int count) throws Exception {
    List<EtcdProcessCluster> clusters = new ArrayList<>();
    List<MembershipDriver> drivers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        EtcdProcessCluster cluster = new EtcdProcessCluster("c" + i, WORK.resolve(count + "-" + i), 100 + i, etcd);
        clusters.add(cluster);
        drivers.add(new MembershipDriver(cluster, PlannerSettings.DEFAULTS));
        var nothingYet = new ClusterObservation(false, 0, List.of(), 0, List.of(), Instant.now());
        cluster.sync(MembershipLayout.of(1, nothingYet, cluster).orElseThrow());
      }
      awaitHealthy(drivers);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      FleetMeters meters = new FleetMeters(registry);
      MemberMetricsReader reader = new MemberMetricsReader(Duration.ofSeconds(5));
      for (int warmUp = 0; warmUp < 3; warmUp++) {
        pass(clusters, drivers, meters, reader, new ArrayList<>());
      }
      List<Double> perCluster = new ArrayList<>();
      long cpuBefore = cpuNanos();
      long start = System.nanoTime();
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        pass(clusters, drivers, meters, reader, perCluster);
      }
      double cycleMillis = (System.nanoTime() - start) / 1e6 / CYCLES;
      double cpuMillis = (cpuNanos() - cpuBefore) / 1e6 / CYCLES;
      perCluster.sort(null);
      int scrape = registry.scrape().length() / 1024;
      double probeCpuMillis = probeCost(clusters, drivers);
      return new Row(count, cycleMillis, perCluster.get(perCluster.size() / 2), perCluster.get(perCluster.size() - 1),
          cpuMillis, ProcessStats.rssMiB(), scrape, probeCpuMillis);
    } finally {
      drivers.forEach(MembershipDriver::close);
      clusters.forEach(EtcdProcessCluster::close);
    }
  }

  /** The watch probing every cluster once a second for a while: the CPU of one cluster's probe, in ms. */
  private static double probeCost(List<EtcdProcessCluster> clusters, List<MembershipDriver> drivers)
      throws InterruptedException {
    try (EtcdConnections connections = new EtcdConnections(Duration.ofSeconds(5))) {
      QuorumWatch watch = new QuorumWatch(connections, Duration.ofSeconds(1), Duration.ofSeconds(5));
      watch.setEventHandler(event -> { });
      watch.start();
      for (int i = 0; i < clusters.size(); i++) {
        watch.watch(new ResourceID(clusters.get(i).cluster(), "bench"), clusters.get(i).access(), drivers.get(i).observe());
      }
      Thread.sleep(2000); // the connections made
      long cpuBefore = cpuNanos();
      Thread.sleep(PROBED_FOR.toMillis());
      double cpuMillis = (cpuNanos() - cpuBefore) / 1e6;
      watch.stop();
      return cpuMillis / (clusters.size() * PROBED_FOR.toSeconds());
    }
  }

  /** One health pass over every cluster, as the reconciler makes it; records each cluster's time in ms. */
  private static void pass(List<EtcdProcessCluster> clusters, List<MembershipDriver> drivers, FleetMeters meters,
      MemberMetricsReader reader, List<Double> perCluster) {
    for (int i = 0; i < clusters.size(); i++) {
      long t = System.nanoTime();
      var observation = drivers.get(i).observe();
      var health = HealthObserver.observe(observation,
          new EtcdHealthProbe(drivers.get(i).connection(), reader, clusters.get(i).access()), true);
      meters.record("bench", clusters.get(i).cluster(), 1, health);
      perCluster.add((System.nanoTime() - t) / 1e6);
    }
  }

  private static void awaitHealthy(List<MembershipDriver> drivers) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    for (MembershipDriver driver : drivers) {
      while (!driver.observe().voters().stream().allMatch(EtcdMemberState::healthy)
          || driver.observe().voters().isEmpty()) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("clusters did not become healthy within 3 minutes");
        }
        Thread.sleep(100);
      }
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

}
