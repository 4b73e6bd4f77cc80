package io.etcdplatform.bench;

import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.maintenance.ClientEndpoints;
import io.etcdplatform.maintenance.MaintenanceExecutor;
import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.maintenance.MaintenanceStep;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Defragmentation on three real etcd 3.6 members with 64 MiB, 256 MiB and 1 GiB of live data
 * (written, overwritten once, compacted: half of each file free): each member's duration, and a
 * client writing and reading throughout a rolling defragmentation beside the same client on the
 * idle cluster, measured in the same run.
 */
public final class MaintenanceBenchmark {

  private static final Path WORK = Path.of("target", "bench-maintenance").toAbsolutePath();
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(15);
  private static final int VALUE_BYTES = 64 * 1024;

  private MaintenanceBenchmark() {}

  record Row(int liveMiB, List<String> perMember, long fileMiBBefore, long fileMiBAfter, int idleRequests,
      long idleErrors, double idleP99, int busyRequests, long busyErrors, double busyP99) {}

  public static void main(String[] args) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int liveMiB : new int[] {64, 256, 1024}) {
      rows.add(measure(liveMiB));
    }
    System.out.printf("%nRolling defragmentation, 3 members of etcd 3.6 (per member: followers first, the leader last)%n");
    System.out.printf("%-9s %-34s %14s %16s %22s%n", "live MiB", "defragment ms (per member)", "file MiB",
        "idle client", "client during defrag");
    System.out.printf("%-9s %-34s %14s %16s %22s%n", "", "", "before->after", "p99 ms / errors", "p99 ms / errors");
    for (Row r : rows) {
      System.out.printf("%-9d %-34s %14s %16s %22s%n", r.liveMiB(), String.join(", ", r.perMember()),
          r.fileMiBBefore() + "->" + r.fileMiBAfter(), String.format("%.1f / %d", r.idleP99(), r.idleErrors()),
          String.format("%.1f / %d (%.1fx)", r.busyP99(), r.busyErrors(), r.busyP99() / r.idleP99()));
    }
  }

  private static Row measure(int liveMiB) throws Exception {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("m", WORK.resolve(liveMiB + "MiB"), 110,
        Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024));
      driver.converge(3, Duration.ofMinutes(2));
      long revision = BulkWrites.write(cluster, liveMiB, 2);
      driver.connection().compact(revision, Duration.ofMinutes(5));
      long before = driver.observe().members().stream().mapToLong(m -> m.stats().dbSize()).max().orElseThrow();

      double idleP99;
      long idleErrors;
      int idleRequests;
      try (AcknowledgedWrites idle = new AcknowledgedWrites(cluster.clientUrls())) {
        Thread.sleep(IDLE_WINDOW.toMillis());
        idleP99 = idle.p99Millis();
        idleErrors = idle.failedAttempts();
        idleRequests = idle.requests();
      }
      List<String> perMember = new ArrayList<>();
      double busyP99;
      long busyErrors;
      int busyRequests;
      try (AcknowledgedWrites busy = new AcknowledgedWrites(cluster.clientUrls())) {
        Thread.sleep(1000);
        rollingDefragmentation(cluster, driver, perMember);
        busyP99 = busy.p99Millis();
        busyErrors = busy.failedAttempts();
        busyRequests = busy.requests();
      }
      long after = driver.observe().members().stream().mapToLong(m -> m.stats().dbSize()).max().orElseThrow();
      return new Row(liveMiB, perMember, before >> 20, after >> 20, idleRequests, idleErrors, idleP99, busyRequests,
          busyErrors, busyP99);
    }
  }

  /** Through the planner and executor: an on-demand round, every member once, in the safe order. */
  private static void rollingDefragmentation(EtcdProcessCluster cluster, MembershipDriver driver, List<String> perMember)
      throws InterruptedException {
    MaintenancePlanner planner = new MaintenancePlanner(1000);
    MaintenanceExecutor executor = new MaintenanceExecutor(cluster, ClientEndpoints.NONE, Clock.systemUTC());
    CompactionSpec noCompaction = new CompactionSpec();
    noCompaction.setEnabled(false);
    MaintenanceStatus status = new MaintenanceStatus();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      var observation = driver.observe();
      var plan = planner.next(new MaintenancePlanner.Input(noCompaction, new DefragmentationSpec(), false, 0,
          observation, List.of(), status, "benchmark", Instant.now(), Optional.empty()));
      status = plan.status();
      if (plan.step() instanceof MaintenanceStep.Idle) {
        return;
      }
      if (plan.step() instanceof MaintenanceStep.Defragment d) {
        long start = System.nanoTime();
        status = executor.execute(d, observation, driver.connection(), Duration.ofMinutes(10)).recordedIn(status);
        perMember.add(d.member() + " " + (System.nanoTime() - start) / 1_000_000);
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("the rolling defragmentation did not finish within 10 minutes");
  }
}
