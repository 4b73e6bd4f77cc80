package io.etcdplatform.bench;

import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18's experiment: what a client dialling every member (as a Kubernetes API server does) sees
 * during an online rolling defragmentation (the operator's planner and executor, as
 * {@link MaintenanceBenchmark} runs them) and during an offline one (each member stopped with
 * SIGTERM, {@code etcdutl defrag --data-dir} on its data, started again, then waited for until every
 * member is healthy and caught up), beside the same client on the idle cluster, in the same run.
 * {@code -Dbench.maintenance.sizes=64,256} chooses the sizes.
 */
public final class OfflineDefragmentationBenchmark {

  private static final Path WORK = Path.of("target", "bench-offline-defrag").toAbsolutePath();
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(15);
  private static final long MAX_LAG = 1000;

  private OfflineDefragmentationBenchmark() {}

  record Client(double p99, double max, long failed, int requests) {
    static Client of(AcknowledgedWrites w) {
      return new Client(w.p99Millis(), w.maxMillis(), w.failedAttempts(), w.requests());
    }

    String cell(Client idle) {
      return String.format("%.1f / %.0f, %d, %d (%.1fx)", p99, max, failed, requests, p99 / idle.p99);
    }
  }

  record Row(int liveMiB, Client idle, Client online, Client offline, List<String> onlineSteps,
      List<String> offlineSteps) {}

  public static void main(String[] args) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String size : System.getProperty("bench.maintenance.sizes", "64,256").split(",")) {
      rows.add(measure(Integer.parseInt(size.trim())));
    }
    for (Row r : rows) {
      System.out.printf("%n%d MiB online steps (ms): %s%n%d MiB offline steps (ms): %s%n", r.liveMiB(),
          String.join(", ", r.onlineSteps()), r.liveMiB(), String.join(", ", r.offlineSteps()));
    }
    System.out.printf("%nAll-members jetcd client, p99 / max ms, failed, requests (p99 x idle)%n");
    System.out.printf("%-9s %-28s %-40s %-40s%n", "live MiB", "idle", "online round", "offline round");
    for (Row r : rows) {
      System.out.printf("%-9d %-28s %-40s %-40s%n", r.liveMiB(), r.idle().cell(r.idle()),
          r.online().cell(r.idle()), r.offline().cell(r.idle()));
    }
  }

  private static Row measure(int liveMiB) throws Exception {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("o", WORK.resolve(liveMiB + "MiB"), 120,
        Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024,
          "--feature-gates=StopGRPCServiceOnDefrag=true"));
      driver.converge(3, Duration.ofMinutes(2));
      fragment(cluster, driver, liveMiB, 2);
      Map<String, String> urls = new LinkedHashMap<>();
      driver.observe().members().forEach(m -> urls.put(m.name(), cluster.clientUrl(m.name())));
      try (ServiceProxy service = new ServiceProxy(urls)) {
        Client idle;
        try (AcknowledgedWrites all = new AcknowledgedWrites(cluster.clientUrls())) {
          Thread.sleep(IDLE_WINDOW.toMillis());
          idle = Client.of(all);
        }
        List<String> onlineSteps = new ArrayList<>();
        Client online;
        try (AcknowledgedWrites all = new AcknowledgedWrites(cluster.clientUrls())) {
          Thread.sleep(1000);
          MaintenanceBenchmark.rollingDefragmentation(cluster, driver, service, onlineSteps);
          online = Client.of(all);
          all.failureCauses().forEach(c -> System.out.println("online round, failed request: " + c));
        }
        fragment(cluster, driver, liveMiB, 1);
        List<String> offlineSteps = new ArrayList<>();
        Client offline;
        try (AcknowledgedWrites all = new AcknowledgedWrites(cluster.clientUrls())) {
          Thread.sleep(1000);
          offlineRound(cluster, driver, offlineSteps);
          Thread.sleep(1000);
          offline = Client.of(all);
          all.failureCauses().forEach(c -> System.out.println("offline round, failed request: " + c));
          List<String> missing = all.stopAndFindMissing();
          if (!missing.isEmpty()) {
            throw new IllegalStateException("acknowledged writes lost in the offline round: " + missing.size());
          }
        }
        return new Row(liveMiB, idle, online, offline, onlineSteps, offlineSteps);
      }
    }
  }

  /** Writes {@code liveMiB} {@code rounds} times over and compacts: the files are half free afterwards. */
  private static void fragment(EtcdProcessCluster cluster, MembershipDriver driver, int liveMiB, int rounds)
      throws Exception {
    long revision = BulkWrites.write(cluster, liveMiB, rounds);
    driver.connection().compact(revision, Duration.ofMinutes(5));
  }

  /** Followers first (highest ordinal first), the leader last after handing over, one member at a time. */
  private static void offlineRound(EtcdProcessCluster cluster, MembershipDriver driver, List<String> steps)
      throws Exception {
    ClusterObservation first = awaitCaughtUp(driver);
    String leader = first.leader().orElseThrow().name();
    List<String> order = new ArrayList<>(first.members().stream()
        .sorted(Comparator.comparingInt(EtcdMemberState::ordinal).reversed())
        .map(EtcdMemberState::name).filter(n -> !n.equals(leader)).toList());
    order.add(leader);
    for (String member : order) {
      ClusterObservation now = awaitCaughtUp(driver);
      EtcdMemberState leading = now.leader().orElseThrow();
      if (leading.name().equals(member)) {
        EtcdMemberState to = now.members().stream().filter(m -> !m.name().equals(member))
            .max(Comparator.comparingLong(EtcdMemberState::raftIndex)).orElseThrow();
        long start = System.nanoTime();
        driver.connection().moveLeader(cluster.clientUrl(member), to.id());
        steps.add("move leader " + member + "->" + to.name() + " " + (System.nanoTime() - start) / 1_000_000);
      }
      long before = now.members().stream().filter(m -> m.name().equals(member)).findFirst().orElseThrow()
          .stats().dbSize();
      long start = System.nanoTime();
      long[] defragMillis = new long[1];
      cluster.restartAfter(member, dataDir -> defragMillis[0] = etcdutlDefrag(dataDir));
      long down = (System.nanoTime() - start) / 1_000_000;
      ClusterObservation after = awaitCaughtUp(driver);
      long total = (System.nanoTime() - start) / 1_000_000;
      long afterSize = after.members().stream().filter(m -> m.name().equals(member)).findFirst().orElseThrow()
          .stats().dbSize();
      steps.add(String.format("offline %s: stop+defrag+start %d (etcdutl %d), caught up after %d, %d->%d MiB",
          member, down, defragMillis[0], total, before >> 20, afterSize >> 20));
    }
  }

  private static long etcdutlDefrag(Path dataDir) {
    long start = System.nanoTime();
    try {
      Process p = new ProcessBuilder(Binaries.etcd("etcdutl").toString(), "defrag", "--data-dir=" + dataDir)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
              dataDir.resolveSibling(dataDir.getFileName() + "-etcdutl.log").toFile())).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("etcdutl defrag of " + dataDir + " did not finish within 5 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("etcdutl defrag of " + dataDir + " exited " + p.exitValue());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Every member healthy and within {@link #MAX_LAG} entries of the leader, within 2 minutes. */
  private static ClusterObservation awaitCaughtUp(MembershipDriver driver) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      ClusterObservation o = driver.observe();
      if (o.members().size() == 3 && o.leader().isPresent()
          && o.members().stream().allMatch(m -> m.healthy() && o.caughtUp(m, MAX_LAG))) {
        return o;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the cluster did not become healthy and caught up within 2 minutes");
  }
}
