package io.etcdplatform.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.backup.VerificationVerdict.Found;
import io.etcdplatform.backup.VerificationVerdict.Recorded;
import io.etcdplatform.backup.VerificationVerdict.Verdict;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar operator.jar verify-snapshot}: the restore drill a verification Job runs. Copies
 * the stored snapshot (its sha256 against the recorded one and etcd's integrity mark: a snapshot
 * changed in storage fails here), restores it with etcdutl of the cluster's release into a
 * directory of the pod, starts a throwaway single-member etcd of that release on it, and compares
 * what it serves with what the backup recorded ({@link VerificationVerdict}). The verdict is the
 * termination message (a JSON {@link Report}); exit 0 passed, {@value #FAILED} failed a check,
 * 1 the drill could not run (the message says why).
 */
public final class VerifySnapshot {

  /** What the drill found; {@code etcdPeakRssBytes} is the throwaway etcd's peak memory (-1 when not started). */
  public record Report(boolean passed, String message, Long revision, Long keys, Long hashKv, long etcdPeakRssBytes) {}

  static final int FAILED = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerifySnapshot() {}

  public static int run(Map<String, String> env) throws IOException, InterruptedException {
    Report report;
    try {
      report = verify(env);
    } catch (IOException e) {
      System.err.println("the restore drill could not run: " + e.getMessage());
      return 1;
    }
    Files.writeString(Path.of(env.get("VERIFY_RESULT_FILE")), JSON.writeValueAsString(report));
    System.out.println((report.passed() ? "verified: " : "verification failed: ") + report.message());
    return report.passed() ? 0 : FAILED;
  }

  /** @throws IOException the drill could not run (storage unreachable, no binary, no disk) */
  public static Report verify(Map<String, String> env) throws IOException, InterruptedException {
    Path work = Files.createDirectories(Path.of(env.getOrDefault("VERIFY_DIR", "/tmp/verify")));
    Path snapshot = work.resolve("snapshot.db");
    Path data = work.resolve("data");
    String minor = env.get("VERIFY_ETCD_MINOR");
    Recorded recorded = new Recorded(Long.parseLong(env.get("VERIFY_REVISION")), optional(env, "VERIFY_KEYS"),
        optional(env, "VERIFY_HASH_KV"));
    try (StoredSnapshot stored = StoredSnapshot.of(env)) {
      stored.copyTo(snapshot, env.get("RESTORE_SHA256"));
    } catch (SnapshotCorruptException e) {
      return failed("stored snapshot check failed: " + e.getMessage()
          + " (it changed in storage after it was saved, or was never whole)", -1);
    }
    String address = env.getOrDefault("VERIFY_ADDRESS", "127.0.0.1");
    String peerUrl = ThrowawayEtcd.peerUrl(address, ThrowawayEtcd.freePort(address));
    String etcdutl = env.getOrDefault("ETCDUTL", "/opt/etcdutl/" + minor + "/etcdutl");
    int restored = run(SnapshotRestoreCommand.of(etcdutl, snapshot.toString(), ThrowawayEtcd.NAME, peerUrl,
        ThrowawayEtcd.NAME + "=" + peerUrl, "verify", data.toString()), work.resolve("etcdutl.log"));
    Files.deleteIfExists(snapshot); // the restored directory holds its own copy: half the disk
    if (restored != 0) {
      return failed("restore check failed: etcdutl snapshot restore exited " + restored + ": "
          + tail(work.resolve("etcdutl.log")), -1);
    }
    String etcdBinary = env.getOrDefault("VERIFY_ETCD", "/opt/etcd/" + minor + "/etcd");
    Duration startTimeout = Duration.ofSeconds(Long.parseLong(env.getOrDefault("VERIFY_START_TIMEOUT_SECONDS", "300")));
    try (ThrowawayEtcd etcd = ThrowawayEtcd.start(etcdBinary, data, address, peerUrl, work.resolve("etcd.log"));
         EtcdConnection connection = new EtcdConnection(List.of(etcd.clientUrl()), Duration.ofSeconds(60))) {
      try {
        etcd.awaitServing(connection, startTimeout);
      } catch (IOException e) {
        return failed("start check failed: " + e.getMessage(), etcd.peakRssBytes());
      }
      Found found;
      try {
        long current = connection.status(etcd.clientUrl()).getHeader().getRevision();
        var early = VerificationVerdict.revisionCheck(recorded, current);
        if (early.isPresent()) {
          return failed(early.get().message(), etcd.peakRssBytes());
        }
        long keys = connection.keyCount(recorded.revision());
        MemberHash hash = connection.hashKv(etcd.clientUrl(), recorded.revision());
        found = new Found(current, keys, hash.hash());
      } catch (EtcdUnavailableException e) {
        return failed("read check failed: the restored etcd did not answer at revision " + recorded.revision() + " ("
            + e.getMessage() + ")", etcd.peakRssBytes());
      }
      Verdict verdict = VerificationVerdict.of(recorded, found);
      return new Report(verdict.passed(), verdict.message(), recorded.revision(), found.keys(), found.hashKv(),
          etcd.peakRssBytes());
    }
  }

  private static Report failed(String message, long peakRss) {
    return new Report(false, message, null, null, null, peakRss);
  }

  private static Long optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : Long.valueOf(value);
  }

  private static int run(List<String> command, Path log) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(30, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
      return -1;
    }
    return process.exitValue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  /** The report the drill wrote as its termination message. */
  public static Report parse(String terminationMessage) throws IOException {
    return JSON.readValue(terminationMessage, Report.class);
  }
}
