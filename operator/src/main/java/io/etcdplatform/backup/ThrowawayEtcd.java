package io.etcdplatform.backup;

import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd started on a restored data directory, on one address of the pod (loopback
 * or the pod IP), for a verification to read: never a member of anything, stopped by its pid.
 */
final class ThrowawayEtcd implements AutoCloseable {

  static final String NAME = "verify";

  private final Process process;
  private final String clientUrl;
  private final Path log;

  private ThrowawayEtcd(Process process, String clientUrl, Path log) {
    this.process = process;
    this.clientUrl = clientUrl;
    this.log = log;
  }

  static String peerUrl(String address, int port) {
    return "http://" + address + ":" + port;
  }

  /** A port free on {@code address} now (etcd takes no port 0). */
  static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }

  /** Starts etcd on {@code dataDir}, a directory etcdutl restored as member {@value #NAME} with peer URL {@code peerUrl}. */
  static ThrowawayEtcd start(String etcd, Path dataDir, String address, String peerUrl, Path log) throws IOException {
    String clientUrl = "http://" + address + ":" + freePort(address);
    Process process = new ProcessBuilder(etcd,
        "--name=" + NAME,
        "--data-dir=" + dataDir,
        "--listen-client-urls=" + clientUrl,
        "--advertise-client-urls=" + clientUrl,
        "--listen-peer-urls=" + peerUrl,
        "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=" + NAME + "=" + peerUrl,
        "--quota-backend-bytes=" + 8L * 1024 * 1024 * 1024, // a database above the default 2 GiB still starts clean
        "--unsafe-no-fsync") // thrown away afterwards: nothing here needs durability
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ThrowawayEtcd(process, clientUrl, log);
  }

  String clientUrl() {
    return clientUrl;
  }

  /**
   * Waits until it answers its status, at most {@code timeout}.
   *
   * @throws IOException it exited or did not answer in time, with the end of its log
   */
  void awaitServing(EtcdConnection etcd, Duration timeout) throws IOException, InterruptedException {
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (!process.isAlive()) {
        throw new IOException("etcd exited " + process.exitValue() + " on the restored data: " + logTail());
      }
      try {
        etcd.status(clientUrl);
        return;
      } catch (EtcdUnavailableException e) {
        Thread.sleep(500);
      }
    }
    throw new IOException("etcd did not serve on the restored data within " + timeout.toSeconds() + " s: " + logTail());
  }

  /** Its peak resident memory so far (VmHWM), in bytes; -1 where /proc does not say. */
  long peakRssBytes() {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
          .filter(l -> l.startsWith("VmHWM:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024)
          .findFirst().orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
