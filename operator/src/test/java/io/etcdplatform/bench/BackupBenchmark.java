package io.etcdplatform.bench;

import io.etcdplatform.backup.S3SnapshotStore;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.backup.SnapshotBackup;
import io.etcdplatform.backup.SnapshotFiles;
import io.etcdplatform.backup.SnapshotRestoreCommand;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.Binaries;
import io.etcdplatform.testing.Directories;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testing.MinioServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  private BackupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Directories.deleteRecursively(WORK);
    try (MinioServer minio = MinioServer.start(WORK.resolve("minio"));
         EtcdProcessCluster cluster = new EtcdProcessCluster("b", WORK.resolve("etcd"), 150, Binaries.etcd("etcd"));
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
         S3SnapshotStore store = minio.store()) {
      minio.createBucket("bench");
      cluster.extraFlags(List.of("--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024));
      driver.converge(3, Duration.ofMinutes(2));
      BulkWrites.write(cluster, LIVE_MIB, 1);
      var observation = driver.observe();
      String follower = observation.members().stream().filter(m -> m.id() != observation.leaderId()).findFirst()
          .orElseThrow().name();

      // warm-up: class loading and JIT of the backup path, on a first, discarded object
      SnapshotBackup.take(driver.connection(), observation, cluster, store, new Location("bench", "warm-up.db"),
          Duration.ofMinutes(10));
      long idleRss = rssMiB();

      double etcdctlSeconds = timed(() -> run(Binaries.etcd("etcdctl").toString(), "--endpoints="
          + cluster.clientUrl(follower), "--command-timeout=600s", "snapshot", "save", WORK.resolve("etcdctl.db").toString()));
      long etcdctlBytes = Files.size(WORK.resolve("etcdctl.db"));

      AtomicLong peakRss = new AtomicLong(idleRss);
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          try {
            peakRss.accumulateAndGet(rssWithoutGc(), Math::max);
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      });
      sampler.start();
      SnapshotBackup.Result[] result = new SnapshotBackup.Result[1];
      double backupSeconds = timed(() -> result[0] = SnapshotBackup.take(driver.connection(), observation, cluster,
          store, new Location("bench", "b/backup.db"), Duration.ofMinutes(10)));
      sampler.interrupt();
      sampler.join();

      String member = cluster.clientUrl(follower);
      Duration deadline = Duration.ofMinutes(10);
      double discardSeconds = timed(() -> driver.connection().snapshot(member, OutputStream.nullOutputStream(), deadline));
      Path claimFile = WORK.resolve("claim").resolve("b/backup.db");
      SnapshotFiles.Written[] written = new SnapshotFiles.Written[1];
      double fileSeconds = timed(() -> written[0] = SnapshotFiles.save(claimFile,
          out -> driver.connection().snapshot(member, out, deadline)));
      double fromDiskSeconds = timed(() -> store.upload(new Location("bench", "b/from-disk.db"),
          out -> Files.copy(WORK.resolve("etcdctl.db"), out)));

      Path restoredFile = WORK.resolve("downloaded.db");
      double downloadSeconds = timed(() -> store.download(result[0].stored().location(), result[0].stored().sha256(),
          restoredFile));
      double copySeconds = timed(() -> SnapshotFiles.copyVerified(Files.newInputStream(claimFile), claimFile.toString(),
          written[0].sha256(), WORK.resolve("copied.db")));
      double etcdutlSeconds = timed(() -> run(SnapshotRestoreCommand.of(Binaries.etcd("etcdutl").toString(),
          restoredFile.toString(), "r-0", "http://127.0.0.160:2380", "r-0=http://127.0.0.160:2380", "r",
          WORK.resolve("restored").toString()).toArray(String[]::new)));

      long size = result[0].stored().size();
      System.out.printf("%nBackup of %d MiB of live data (snapshot %d MiB) from follower %s%n", LIVE_MIB, size >> 20,
          result[0].member());
      System.out.printf("%-44s %10s %12s%n", "", "seconds", "MiB/s");
      System.out.printf("%-44s %10.1f %12.1f%n", "etcdctl snapshot save to local disk", etcdctlSeconds,
          (etcdctlBytes >> 20) / etcdctlSeconds);
      row("operator: snapshot streamed into MinIO (S3)", backupSeconds, size, etcdctlSeconds, etcdctlBytes);
      row("operator: snapshot into a file (claim Job)", fileSeconds, written[0].size(), etcdctlSeconds, etcdctlBytes);
      row("  parts: etcd's stream alone, discarded", discardSeconds, size, etcdctlSeconds, etcdctlBytes);
      row("  parts: the S3 path fed from local disk", fromDiskSeconds, etcdctlBytes, etcdctlSeconds, etcdctlBytes);
      System.out.printf("%-44s %10.1f%n", "restore: download from S3 + both checks", downloadSeconds);
      System.out.printf("%-44s %10.1f%n", "restore: copy from the claim + both checks", copySeconds);
      System.out.printf("%-44s %10.1f%n", "restore: etcdutl snapshot restore", etcdutlSeconds);
      System.out.printf("%-44s %10d MiB idle, %d MiB peak during the backup (%.2fx)%n", "operator JVM resident memory",
          idleRss, peakRss.get(), (double) peakRss.get() / idleRss);
    }
  }

  private static void row(String what, double seconds, long bytes, double etcdctlSeconds, long etcdctlBytes) {
    System.out.printf("%-44s %10.1f %12.1f   (%.2fx etcdctl's throughput)%n", what, seconds, (bytes >> 20) / seconds,
        ((double) bytes / seconds) / ((double) etcdctlBytes / etcdctlSeconds));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static double timed(Step step) throws Exception {
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

  private static long rssMiB() throws IOException {
    System.gc();
    return rssWithoutGc();
  }

  private static long rssWithoutGc() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElseThrow();
  }
}
