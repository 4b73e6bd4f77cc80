package io.etcdplatform.bench;

import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.maintenance.ClientEndpointRule;
import io.etcdplatform.maintenance.MaintenanceExecutor;
import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.maintenance.MaintenanceStep;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Defragmentation on three real etcd 3.6 members with 64 MiB, 256 MiB and 1 GiB of live data
 * (written, overwritten once, compacted: half of each file free): each member's duration, and two
 * clients writing and reading throughout a rolling defragmentation beside the same clients on the
 * idle cluster, measured in the same run: one through all member endpoints (as a Kubernetes API
 * server is configured) and one through the client Service (a kube-proxy-like {@link ServiceProxy}:
 * new connections go to the members in the endpoints, an established one stays where it is).
 * {@code -Dbench.maintenance.sizes=64,256} measures fewer sizes.
 */
public final class MaintenanceBenchmark {

  private static final Path WORK = Path.of("target", "bench-maintenance").toAbsolutePath();
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(15);

  private MaintenanceBenchmark() {}

  record Clients(double allP99, double allMax, long allErrors, int allRequests, double serviceP99, double serviceMax,
      long serviceErrors, int serviceRequests) {}

  record Row(int liveMiB, List<String> steps, long fileMiBBefore, long fileMiBAfter, Clients idle, Clients busy) {}

  public static void main(String[] args) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (String size : System.getProperty("bench.maintenance.sizes", "64,256,1024").split(",")) {
      rows.add(measure(Integer.parseInt(size.trim())));
    }
    System.out.printf("%nRolling defragmentation, 3 members of etcd 3.6 (followers first; the leader hands over, "
        + "then is defragmented as a follower)%n");
    for (Row r : rows) {
      System.out.printf("%d MiB live, file %d->%d MiB; steps (ms): %s%n", r.liveMiB(), r.fileMiBBefore(),
          r.fileMiBAfter(), String.join(", ", r.steps()));
    }
    System.out.printf("%n%-9s %-32s %-40s %-32s %-40s%n", "live MiB", "all members: idle",
        "all members: during round", "client Service: idle", "client Service: during round");
    System.out.printf("%-9s %-32s %-40s %-32s %-40s%n", "", "p99 / max ms, failed, requests",
        "p99 / max ms, failed, requests (p99 x idle)", "p99 / max ms, failed, requests",
        "p99 / max ms, failed, requests (p99 x idle)");
    for (Row r : rows) {
      System.out.printf("%-9d %-32s %-40s %-32s %-40s%n", r.liveMiB(),
          String.format("%.1f / %.0f, %d, %d", r.idle().allP99(), r.idle().allMax(), r.idle().allErrors(),
              r.idle().allRequests()),
          String.format("%.1f / %.0f, %d, %d (%.1fx)", r.busy().allP99(), r.busy().allMax(), r.busy().allErrors(),
              r.busy().allRequests(), r.busy().allP99() / r.idle().allP99()),
          String.format("%.1f / %.0f, %d, %d", r.idle().serviceP99(), r.idle().serviceMax(), r.idle().serviceErrors(),
              r.idle().serviceRequests()),
          String.format("%.1f / %.0f, %d, %d (%.1fx)", r.busy().serviceP99(), r.busy().serviceMax(),
              r.busy().serviceErrors(), r.busy().serviceRequests(), r.busy().serviceP99() / r.idle().serviceP99()));
    }
  }

  private static Row measure(int liveMiB) throws Exception {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("m", WORK.resolve(liveMiB + "MiB"), 110,
        Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024,
          "--feature-gates=StopGRPCServiceOnDefrag=true"));
      driver.converge(3, Duration.ofMinutes(2));
      long revision = BulkWrites.write(cluster, liveMiB, 2);
      driver.connection().compact(revision, Duration.ofMinutes(5));
      long before = driver.observe().members().stream().mapToLong(m -> m.stats().dbSize()).max().orElseThrow();
      Map<String, String> urls = new LinkedHashMap<>();
      driver.observe().members().forEach(m -> urls.put(m.name(), cluster.clientUrl(m.name())));

      try (ServiceProxy service = new ServiceProxy(urls)) {
        Clients idle;
        try (AcknowledgedWrites all = new AcknowledgedWrites(cluster.clientUrls());
             AcknowledgedWrites through = new AcknowledgedWrites(List.of(service.url()))) {
          Thread.sleep(IDLE_WINDOW.toMillis());
          idle = clients(all, through);
        }
        List<String> steps = new ArrayList<>();
        Clients busy;
        try (AcknowledgedWrites all = new AcknowledgedWrites(cluster.clientUrls());
             AcknowledgedWrites through = new AcknowledgedWrites(List.of(service.url()))) {
          Thread.sleep(1000);
          rollingDefragmentation(cluster, driver, service, steps);
          busy = clients(all, through);
        }
        long after = driver.observe().members().stream().mapToLong(m -> m.stats().dbSize()).max().orElseThrow();
        return new Row(liveMiB, steps, before >> 20, after >> 20, idle, busy);
      }
    }
  }

  private static Clients clients(AcknowledgedWrites all, AcknowledgedWrites service) {
    return new Clients(all.p99Millis(), all.maxMillis(), all.failedAttempts(), all.requests(), service.p99Millis(),
        service.maxMillis(), service.failedAttempts(), service.requests());
  }

  /**
   * Through the planner, the executor and the client-endpoint rule, as a pass runs them: an
   * on-demand round, every member once, in the safe order, until every member is back in the endpoints.
   */
  static void rollingDefragmentation(EtcdProcessCluster cluster, MembershipDriver driver, ServiceProxy service,
      List<String> steps) throws InterruptedException {
    MaintenancePlanner planner = new MaintenancePlanner(1000);
    MaintenanceExecutor executor = new MaintenanceExecutor(cluster, service, Clock.systemUTC());
    CompactionSpec noCompaction = new CompactionSpec();
    noCompaction.setEnabled(false);
    MaintenanceStatus status = new MaintenanceStatus();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      ClusterObservation observed = driver.observe();
      ClusterObservation observation = new ClusterObservation(observed.formedBefore(), observed.clusterId(),
          observed.members(), observed.leaderId(), service.withEndpoints(observed.pods()), observed.now());
      ClientEndpointRule.toGiveBack(observation, 1000).forEach(service::giveBack);
      var plan = planner.next(new MaintenancePlanner.Input(noCompaction, new DefragmentationSpec(), false, 0,
          observation, List.of(), status, "benchmark", Instant.now(), Optional.empty()));
      status = plan.status();
      if (plan.step() instanceof MaintenanceStep.Idle && ClientEndpointRule.heldOut(observation).isEmpty()) {
        return;
      }
      if (plan.step() instanceof MaintenanceStep.Action action) {
        long start = System.nanoTime();
        String leader = observation.leader().map(m -> m.name()).orElse("?");
        status = executor.execute(action, observation, driver.connection(), Duration.ofMinutes(10)).recordedIn(status);
        steps.add((action instanceof MaintenanceStep.Defragment d ? "defragment " + d.member()
            + (d.member().equals(leader) ? " (leading)" : "") : "move leader " + ((MaintenanceStep.MoveLeader) action)
                .from() + "->" + ((MaintenanceStep.MoveLeader) action).to()) + " " + (System.nanoTime() - start) / 1_000_000);
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("the rolling defragmentation did not finish within 10 minutes");
  }
}
