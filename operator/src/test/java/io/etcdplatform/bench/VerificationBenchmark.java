package io.etcdplatform.bench;

import io.etcdplatform.backup.SnapshotBackup;
import io.etcdplatform.backup.SnapshotFiles;
import io.etcdplatform.backup.SnapshotRestoreCommand;
import io.etcdplatform.backup.VerifySnapshot;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.LoopbackLane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A restore drill ({@code verify-snapshot}) of a snapshot of about 1 GiB of etcd data beside
 * {@code etcdutl snapshot restore} alone of the same file, interleaved in the same run (the ratio
 * is the figure), with the peak resident memory of the throwaway etcd and of the drill's JVM. The
 * drill reads the snapshot from a file here (the claim's path; from S3 it downloads instead).
 */
public final class VerificationBenchmark {

  private static final Path WORK = Path.of("target", "bench-verify").toAbsolutePath();
  private static final int LIVE_MIB = 1024;
  private static final int ROUNDS = 3;

  private VerificationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Directories.deleteRecursively(WORK);
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("v", WORK.resolve("etcd"), 190, Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024));
      driver.converge(1, Duration.ofMinutes(2));
      BulkWrites.write(cluster, LIVE_MIB, 1);
      SnapshotBackup.Source source = SnapshotBackup.source(driver.connection(), driver.observe(), cluster,
          Duration.ofMinutes(10));
      Path snapshot = WORK.resolve("backup.db");
      SnapshotFiles.Written written = SnapshotFiles.save(snapshot,
          out -> driver.connection().snapshot(source.clientUrl(), out, Duration.ofMinutes(10)));

      List<Double> restoreSeconds = new ArrayList<>();
      List<Double> drillSeconds = new ArrayList<>();
      long etcdPeak = 0;
      AtomicLong jvmPeak = new AtomicLong(ProcessStats.rssMiB());
      long jvmIdle = jvmPeak.get();
      VerifySnapshot.Report report = null;
      for (int round = 0; round < ROUNDS; round++) {
        Path restored = WORK.resolve("restored");
        Directories.deleteRecursively(restored);
        String peer = "http://" + LoopbackLane.address(0, 199) + ":2380";
        restoreSeconds.add(timed(() -> run(SnapshotRestoreCommand.of(Binaries.etcd("etcdutl").toString(),
            snapshot.toString(), "r", peer, "r=" + peer, "r", restored.toString()))));
        Directories.deleteRecursively(restored);
        Directories.deleteRecursively(WORK.resolve("drill"));
        Map<String, String> env = new HashMap<>(Map.of("RESTORE_FILE", snapshot.toString(),
            "RESTORE_SOURCE", snapshot.toString(), "RESTORE_SHA256", written.sha256(),
            "VERIFY_REVISION", String.valueOf(source.revision()), "VERIFY_DIR", WORK.resolve("drill").toString(),
            "VERIFY_ADDRESS", LoopbackLane.address(0, 199), "VERIFY_ETCD", Binaries.etcd("etcd").toString(),
            "ETCDUTL", Binaries.etcd("etcdutl").toString()));
        if (source.keys() == null || source.hashKv() == null) {
          throw new IllegalStateException("the member recorded no key count or HashKV: the drill would compare less");
        }
        env.put("VERIFY_KEYS", String.valueOf(source.keys()));
        env.put("VERIFY_HASH_KV", String.valueOf(source.hashKv()));
        VerifySnapshot.Report[] result = new VerifySnapshot.Report[1];
        drillSeconds.add(timed(() -> withPeakRss(jvmPeak, () -> result[0] = VerifySnapshot.verify(env))));
        report = result[0];
        if (!report.passed()) {
          throw new IllegalStateException("the drill failed: " + report.message());
        }
        etcdPeak = Math.max(etcdPeak, report.etcdPeakRssBytes());
      }
      Directories.deleteRecursively(WORK.resolve("drill"));

      double restore = median(restoreSeconds);
      double drill = median(drillSeconds);
      System.out.printf("%nRestore drill of a %d MiB snapshot (%d MiB of live data, %d keys); medians of %d rounds%n",
          written.size() >> 20, LIVE_MIB, report.keys(), ROUNDS);
      System.out.printf("%-58s %10s%n", "", "seconds");
      System.out.printf("%-58s %10.1f%n", "etcdutl snapshot restore alone", restore);
      System.out.printf("%-58s %10.1f  (%.2fx)%n", "drill: verified copy + restore + throwaway etcd + checks", drill,
          drill / restore);
      System.out.printf("%-58s %10d MiB%n", "peak resident memory of the throwaway etcd", etcdPeak >> 20);
      System.out.printf("%-58s %10d MiB idle, %d MiB peak%n", "the drill's JVM (this one)", jvmIdle, jvmPeak.get());
      System.out.printf("%-58s %s%n", "verdict", report.message());
    } finally {
      Directories.deleteAllButLogs(WORK);
    }
  }

  private static void withPeakRss(AtomicLong peak, Step step) throws Exception {
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          peak.accumulateAndGet(ProcessStats.rssMiBWithoutGc(), Math::max);
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    sampler.start();
    try {
      step.run();
    } finally {
      sampler.interrupt();
      sampler.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static double timed(Step step) throws Exception {
    run(List.of("sync"));
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static void run(List<String> command) throws Exception {
    Path log = WORK.resolve("commands.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
    }
  }

  private interface Step {
    void run() throws Exception;
  }
}
