package io.etcdplatform.bench;

import io.etcd.jetcd.Client;
import io.etcdplatform.insight.KeyspaceBudget;
import io.etcdplatform.insight.KeyspaceInspector;
import io.etcdplatform.insight.KubernetesKeyspace;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyspace inspection of 50,000 pods in one namespace (among a few small namespaces) on three
 * real etcd 3.6 members: seconds and bytes read per inspection, and a client writing through all
 * member endpoints, idle beside during back-to-back inspections, measured in the same run.
 */
public final class KeyspaceBenchmark {

  private static final Path WORK = Path.of("target", "bench-keyspace").toAbsolutePath();
  private static final Duration WINDOW = Duration.ofSeconds(15);
  private static final int PODS = 50_000;

  private KeyspaceBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("k", WORK, 120, Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      driver.converge(3, Duration.ofMinutes(2));
      try (Client client = Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList())
          .build()) {
        KubernetesKeyspace.write(client, PODS);
      }
      KeyspaceInspector inspector = new KeyspaceInspector(driver.connection(), 1_000, Clock.systemUTC());
      KeyspaceBudget budget = new KeyspaceBudget(1_000_000, Duration.ofMinutes(1));

      double idleP99;
      double idleMax;
      int idleRequests;
      try (AcknowledgedWrites idle = new AcknowledgedWrites(cluster.clientUrls())) {
        Thread.sleep(WINDOW.toMillis());
        idleP99 = idle.p99Millis();
        idleMax = idle.maxMillis();
        idleRequests = idle.requests();
      }

      List<Double> seconds = new ArrayList<>();
      long bytes = 0;
      long keys = 0;
      long pages = 0;
      String readFrom = "";
      double busyP99;
      double busyMax;
      int busyRequests;
      try (AcknowledgedWrites busy = new AcknowledgedWrites(cluster.clientUrls())) {
        Instant end = Instant.now().plus(WINDOW);
        while (Instant.now().isBefore(end)) {
          long start = System.nanoTime();
          KeyspaceInspector.Inspection inspection = inspector.inspect(cluster.clientUrls(), 2, 10, budget)
              .orElseThrow();
          seconds.add((System.nanoTime() - start) / 1e9);
          bytes = inspection.scan().bytesRead();
          pages = inspection.scan().pages();
          keys = inspection.report().totalKeys();
          readFrom = inspection.readFrom();
        }
        busyP99 = busy.p99Millis();
        busyMax = busy.maxMillis();
        busyRequests = busy.requests();
      }
      double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double worst = seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      System.out.printf("%nKeyspace inspection, 3 members of etcd 3.6, %d keys (%d pods in one namespace), "
          + "keys only, 1,000 a page, read from the follower %s%n", keys, PODS, readFrom);
      System.out.printf("inspections: %d back to back; seconds mean %.2f, worst %.2f; %d pages, %d bytes of keys "
          + "read (%.1f KiB)%n", seconds.size(), mean, worst, pages, bytes, bytes / 1024.0);
      System.out.printf("%n%-40s %-14s %-10s %-10s%n", "client writing through all members", "p99 ms", "max ms",
          "requests");
      System.out.printf("%-40s %-14.1f %-10.0f %-10d%n", "idle", idleP99, idleMax, idleRequests);
      System.out.printf("%-40s %-14s %-10.0f %-10d%n", "during inspections",
          String.format("%.1f (%.1fx)", busyP99, busyP99 / idleP99), busyMax, busyRequests);
    }
  }
}
