package io.etcdplatform.bench;

import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.backup.S3SnapshotStore;
import io.etcdplatform.backup.SnapshotBackup;
import io.etcdplatform.backup.SnapshotFiles;
import io.etcdplatform.backup.SnapshotRestoreCommand;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testing.MinioStores;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.MinioServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backup of about 1 GiB of etcd data streamed into a real MinIO and into a file (what a claim's
 * Job does), beside {@code etcdctl snapshot save} of the same member to local disk in the same
 * run, with the parts of the S3 path measured alone (etcd's stream; the upload fed from disk);
 * this JVM's resident memory during the backup beside its idle memory; and the restore of that
 * snapshot (download or copy with both checks, etcdutl).
 */
public final class BackupBenchmark {

  private static final Path WORK = Path.of("target", "bench-backup").toAbsolutePath();
  private static final int LIVE_MIB = 1024;
  private static final int ROUNDS = 3;

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Directories.deleteRecursively(WORK);
    try (MinioServer minio = MinioServer.start(WORK.resolve("minio"));
         MinioServer minioTls = MinioServer.startWithTls(WORK.resolve("minio-tls"));
         S3SnapshotStore tlsStore = MinioStores.snapshotStore(minioTls);
         EtcdProcessCluster cluster = new EtcdProcessCluster("b", WORK.resolve("etcd"), 150, Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
         S3SnapshotStore store = MinioStores.snapshotStore(minio)) {
      minio.createBucket("bench");
      minioTls.createBucket("bench");
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024));
      driver.converge(3, Duration.ofMinutes(2));
      BulkWrites.write(cluster, LIVE_MIB, 1);
      var observation = driver.observe();
      String follower = observation.members().stream().filter(m -> m.id() != observation.leaderId()).findFirst()
          .orElseThrow().name();

      SnapshotBackup.Source from = SnapshotBackup.source(driver.connection(), observation, cluster,
          Duration.ofMinutes(10));
      // warm-up: class loading and JIT of the backup path, on discarded objects
      for (int i = 0; i < 2; i++) {
        SnapshotBackup.take(driver.connection(), from, store, new Location("bench", "warm-up.db"), Duration.ofMinutes(10));
        SnapshotBackup.take(driver.connection(), from, tlsStore, new Location("bench", "warm-up.db"),
            Duration.ofMinutes(10));
      }
      long idleRss = ProcessStats.rssMiB();

      String member = cluster.clientUrl(follower);
      Duration deadline = Duration.ofMinutes(10);
      Path etcdctlFile = WORK.resolve("etcdctl.db");
      Path claimFile = WORK.resolve("claim").resolve("b/backup.db");
      SnapshotBackup.Result[] result = new SnapshotBackup.Result[1];
      SnapshotFiles.Written[] written = new SnapshotFiles.Written[1];
      AtomicLong peakRss = new AtomicLong(idleRss);
      // interleaved rounds, medians: the disk and the page cache of this machine are noisy
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        measure(seconds, "etcdctl", () -> run(Binaries.etcd("etcdctl").toString(), "--endpoints=" + member,
            "--command-timeout=600s", "snapshot", "save", etcdctlFile.toString()));
        double[] cpuBefore = {ProcessStats.cpuSeconds("self"), ProcessStats.cpuSeconds(String.valueOf(minio.pid()))};
        measure(seconds, "s3", () -> withPeakRss(peakRss, () -> result[0] = SnapshotBackup.take(driver.connection(),
            from, store, new Location("bench", "b/backup.db"), deadline)));
        seconds.computeIfAbsent("s3-cpu-jvm", k -> new ArrayList<>()).add(ProcessStats.cpuSeconds("self") - cpuBefore[0]);
        seconds.computeIfAbsent("s3-cpu-minio", k -> new ArrayList<>())
            .add(ProcessStats.cpuSeconds(String.valueOf(minio.pid())) - cpuBefore[1]);
        measure(seconds, "s3-tls", () -> SnapshotBackup.take(driver.connection(), from, tlsStore,
            new Location("bench", "b/backup.db"), deadline));
        measure(seconds, "file", () -> written[0] = SnapshotFiles.save(claimFile,
            out -> driver.connection().snapshot(member, out, deadline)));
        measure(seconds, "discard", () -> driver.connection().snapshot(member, OutputStream.nullOutputStream(), deadline));
        measure(seconds, "from-disk", () -> store.upload(new Location("bench", "b/from-disk.db"),
            out -> Files.copy(etcdctlFile, out)));
        Path downloaded = WORK.resolve("downloaded.db");
        measure(seconds, "download", () -> store.download(result[0].stored().location(), result[0].stored().sha256(),
            downloaded));
        measure(seconds, "copy", () -> SnapshotFiles.copyVerified(Files.newInputStream(claimFile), claimFile.toString(),
            written[0].sha256(), WORK.resolve("copied.db")));
        Directories.deleteRecursively(WORK.resolve("restored"));
        measure(seconds, "etcdutl", () -> run(SnapshotRestoreCommand.of(Binaries.etcd("etcdutl").toString(),
            downloaded.toString(), "r-0", "http://127.0.0.160:2380", "r-0=http://127.0.0.160:2380", "r",
            WORK.resolve("restored").toString()).toArray(String[]::new)));
      }

      long etcdctlBytes = Files.size(etcdctlFile);
      double etcdctlSeconds = median(seconds.get("etcdctl"));
      long size = result[0].stored().size();
      System.out.printf("%nBackup of %d MiB of live data (snapshot %d MiB) from follower %s; medians of %d rounds%n",
          LIVE_MIB, size >> 20, result[0].member(), ROUNDS);
      System.out.printf("%-44s %10s %12s%n", "", "seconds", "MiB/s");
      System.out.printf("%-44s %10.1f %12.1f%n", "etcdctl snapshot save to local disk", etcdctlSeconds,
          (etcdctlBytes >> 20) / etcdctlSeconds);
      row("operator: snapshot streamed into MinIO (S3)", seconds.get("s3"), size, etcdctlSeconds, etcdctlBytes);
      row("operator: the same into MinIO over https", seconds.get("s3-tls"), size, etcdctlSeconds, etcdctlBytes);
      row("operator: snapshot into a file (claim Job)", seconds.get("file"), written[0].size(), etcdctlSeconds,
          etcdctlBytes);
      row("  parts: etcd's stream alone, discarded", seconds.get("discard"), size, etcdctlSeconds, etcdctlBytes);
      row("  parts: the S3 path fed from local disk", seconds.get("from-disk"), etcdctlBytes, etcdctlSeconds,
          etcdctlBytes);
      System.out.printf("%-44s %10.1f%n", "restore: download from S3 + both checks", median(seconds.get("download")));
      System.out.printf("%-44s %10.1f%n", "restore: copy from the claim + both checks", median(seconds.get("copy")));
      System.out.printf("%-44s %10.1f%n", "restore: etcdutl snapshot restore", median(seconds.get("etcdutl")));
      System.out.printf("%-44s %10.1f s operator JVM, %.1f s MinIO (wall %.1f s on %d cores)%n",
          "CPU time during the S3 backup", median(seconds.get("s3-cpu-jvm")), median(seconds.get("s3-cpu-minio")),
          median(seconds.get("s3")), Runtime.getRuntime().availableProcessors());
      System.out.printf("%-44s %10d MiB idle, %d MiB peak during the S3 backups (%.2fx)%n",
          "operator JVM resident memory", idleRss, peakRss.get(), (double) peakRss.get() / idleRss);
    } finally {
      Directories.deleteAllButLogs(WORK); // the snapshots: several GiB
    }
  }

  /** Runs the step while sampling this JVM's resident memory (no GC forced) into {@code peak}. */
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
      sampler.join();
    }
  }

  private static void measure(Map<String, List<Double>> seconds, String what, Step step) throws Exception {
    seconds.computeIfAbsent(what, k -> new ArrayList<>()).add(timed(step));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static void row(String what, List<Double> rounds, long bytes, double etcdctlSeconds, long etcdctlBytes) {
    double seconds = median(rounds);
    System.out.printf("%-44s %10.1f %12.1f   (%.2fx etcdctl's throughput)%n", what, seconds, (bytes >> 20) / seconds,
        ((double) bytes / seconds) / ((double) etcdctlBytes / etcdctlSeconds));
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Each step starts with no dirty pages of an earlier one still to be written back. */
  private static double timed(Step step) throws Exception {
    run("sync");
    long start = System.nanoTime();
    step.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(WORK.resolve("commands.log").toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(WORK.resolve("commands.log")));
    }
  }
}
