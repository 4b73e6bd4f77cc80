package io.etcdplatform.testing;

import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.members.MemberPods;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.observation.PodState;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.LoopbackLane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Real etcd server processes standing in for a cluster's StatefulSet pods, each member on its own
 * loopback address (127.{lane}.0.{base+ordinal}, see LoopbackLane, client port 2379, peer port 2380). {@link #sync}
 * plays the StatefulSet controller and the kubelet: it starts the members the layout asks for
 * (with its bootstrap data), restarts exited ones, and stops and wipes those beyond it. Every
 * process is stopped by its own handle in {@link #close()}, which then deletes the members' data
 * (their logs stay).
 */
public final class EtcdProcessCluster implements MemberAddresses, MemberPods, AutoCloseable {

  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);
  /** A member counts as ready once its process has stayed up this long (a crash loop never does). */
  private static final Duration READY_AFTER = Duration.ofSeconds(2);
  private static final int FAILPOINT_PORT = 22381;

  private final String name;
  private final Path workDir;
  private final int addressBase;
  private List<String> extraFlags = List.of();
  private String scheme = "http";
  private Optional<ClientTls> clientTls = Optional.empty();
  private boolean failpoints;
  private final Map<Integer, Pod> pods = new TreeMap<>();
  private final java.util.Set<Integer> unschedulable = new java.util.HashSet<>();
  private Path etcdBinary;
  private MembershipLayout layout;

  private int template;

  private static final class Pod {
    int template;
    Process process;
    Path binary;
    Instant createdAt;
    Instant exitedAt;
    /** Like a pod's Ready condition: set when it stops being ready, kept through a crash loop. */
    Instant notReadySince;
  }

  /** A cluster with no member yet; {@code workDir} is emptied first (no data of an earlier run is reused). */
  public EtcdProcessCluster(String name, Path workDir, int addressBase, Path etcdBinary) {
    this.name = name;
    this.workDir = workDir;
    this.addressBase = addressBase;
    this.etcdBinary = etcdBinary;
    Directories.deleteRecursively(workDir);
  }

  /** Failure injection: the pod of this ordinal is never started (as if it could not be scheduled). */
  public synchronized void blockStart(int ordinal, boolean blocked) {
    if (blocked) {
      unschedulable.add(ordinal);
    } else {
      unschedulable.remove(ordinal);
    }
  }

  /** The "pod template": members restarted from now on run this etcd build. */
  /** Further etcd flags for members started from now on, e.g. --quota-backend-bytes=16777216. */
  public synchronized void extraFlags(List<String> flags) {
    extraFlags = List.copyOf(flags);
  }

  /**
   * Mutual TLS on both planes from here on (before the first member starts): {@code flags} name the
   * members' certificate files, {@code operator} is how {@link #access()} dials them.
   */
  public synchronized void mutualTls(List<String> flags, ClientTls operator) {
    scheme = "https";
    clientTls = Optional.of(operator);
    extraFlags(flags);
  }

  /**
   * Members started from now on (with {@link Binaries#etcdWithFailpoints()}) serve gofail's HTTP
   * endpoint on {@link #failpointUrl}, where a test turns failpoints on and off.
   */
  public synchronized void serveFailpoints() {
    failpoints = true;
  }

  public String failpointUrl(String member) {
    return "http://" + ip(member) + ":" + FAILPOINT_PORT;
  }

  /**
   * A new "pod template" with the same binary and flags (e.g. a new trust bundle in the files the flags
   * name): every running member is outdated until it is restarted.
   */
  public synchronized void newTemplate() {
    template++;
  }

  /** The process id of a member's etcd: the same one means it was not restarted. */
  public synchronized long pid(String member) {
    return pods.get(ordinal(member).orElseThrow()).process.pid();
  }

  public synchronized void useBinary(Path etcdBinary) {
    this.etcdBinary = etcdBinary;
  }

  @Override
  public String cluster() {
    return name;
  }

  @Override
  public String peerUrl(String member) {
    return scheme + "://" + ip(member) + ":2380";
  }

  @Override
  public String clientUrl(String member) {
    return scheme + "://" + ip(member) + ":2379";
  }

  public String ip(String member) {
    return LoopbackLane.address(0, addressBase + ordinal(member).orElseThrow());
  }

  public synchronized List<String> clientUrls() {
    return pods.keySet().stream().map(o -> clientUrl(name(o))).toList();
  }

  /** How the operator reaches these members: their client URLs (the first member's before any runs). */
  public synchronized ClusterAccess access() {
    List<String> urls = clientUrls();
    return new ClusterAccess(name, this, urls.isEmpty() ? List.of(clientUrl(name(0))) : urls, clientTls);
  }

  /** Brings the processes to the layout, restarting members that exited (after a backoff). */
  public synchronized void sync(MembershipLayout next) {
    layout = next;
    Instant now = Instant.now();
    for (int ordinal = 0; ordinal < next.replicas(); ordinal++) {
      Pod pod = pods.computeIfAbsent(ordinal, o -> new Pod());
      if (unschedulable.contains(ordinal)) {
        if (pod.createdAt == null) {
          pod.createdAt = now; // a pending pod exists but never runs
        }
        continue;
      }
      if (pod.process == null || (!pod.process.isAlive() && pod.exitedAt != null
          && Duration.between(pod.exitedAt, now).compareTo(RESTART_BACKOFF) > 0)) {
        start(ordinal, pod);
      } else if (!pod.process.isAlive() && pod.exitedAt == null) {
        pod.exitedAt = now;
      }
    }
    new ArrayList<>(pods.keySet()).stream().filter(o -> o >= next.replicas()).forEach(ordinal -> {
      stop(pods.remove(ordinal), false);
      wipe(ordinal);
    });
  }

  public synchronized List<PodState> podStates() {
    Instant now = Instant.now();
    List<PodState> states = new ArrayList<>();
    pods.forEach((ordinal, pod) -> {
      boolean ready = pod.process != null && pod.process.isAlive()
          && Duration.between(pod.createdAt, now).compareTo(READY_AFTER) >= 0;
      if (ready) {
        pod.notReadySince = null;
      } else if (pod.notReadySince == null) {
        pod.notReadySince = now;
      }
      states.add(new PodState(name(ordinal), ordinal, ready, etcdBinary.equals(pod.binary) && pod.template == template,
          pod.createdAt,
          pod.notReadySince));
    });
    return states;
  }

  @Override
  public synchronized void restart(String member) {
    Pod pod = pods.get(ordinal(member).orElseThrow());
    stop(pod, false);
    start(ordinal(member).orElseThrow(), pod);
  }

  /**
   * Stops the member gracefully (SIGTERM), runs {@code whileStopped} on its data directory, then
   * starts it again with that data: an offline maintenance of one member.
   */
  public synchronized void restartAfter(String member, Consumer<Path> whileStopped) {
    Pod pod = pods.get(ordinal(member).orElseThrow());
    stop(pod, false);
    whileStopped.accept(workDir.resolve(member));
    start(ordinal(member).orElseThrow(), pod);
  }

  @Override
  public void restartOnlyMember(String member) {
    restart(member);
  }

  @Override
  public synchronized void deleteWithData(String member) {
    int ordinal = ordinal(member).orElseThrow();
    Pod pod = pods.get(ordinal);
    stop(pod, true);
    wipe(ordinal);
    pod.process = null;
  }

  /** A process has no grace period to skip: the same as {@link #deleteWithData}, kill -9 and wipe. */
  @Override
  public void forceDeleteWithData(String member) {
    deleteWithData(member);
  }

  /** Failure injection: kill -9 the member; it is restarted with its data by the next sync. */
  public synchronized void crash(String member) {
    Pod pod = pods.get(ordinal(member).orElseThrow());
    stop(pod, true);
  }

  /** Failure injection: SIGSTOP (true) or SIGCONT (false) to the member: it stops answering, its connections stay open. */
  public synchronized void pause(String member, boolean paused) {
    Process process = pods.get(ordinal(member).orElseThrow()).process;
    try {
      Process kill = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + (paused ? "-STOP " : "-CONT ") + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Failure injection: kill -9 the member and delete its data directory; it is restarted empty. */
  public synchronized void crashAndWipe(String member) {
    int ordinal = ordinal(member).orElseThrow();
    Pod pod = pods.get(ordinal);
    stop(pod, true);
    wipe(ordinal);
    pod.exitedAt = Instant.now();
  }

  private void start(int ordinal, Pod pod) {
    String member = name(ordinal);
    Path dataDir = workDir.resolve(member);
    List<String> command = List.of(etcdBinary.toString(),
        "--name=" + member,
        "--data-dir=" + dataDir,
        "--listen-peer-urls=" + peerUrl(member),
        "--listen-client-urls=" + clientUrl(member),
        "--initial-advertise-peer-urls=" + peerUrl(member),
        "--advertise-client-urls=" + clientUrl(member),
        "--initial-cluster=" + layout.initialCluster(),
        "--initial-cluster-state=" + (layout.newCluster() ? "new" : "existing"),
        "--initial-cluster-token=" + name,
        "--heartbeat-interval=50",
        "--election-timeout=500",
        "--log-level=warn");
    command = new ArrayList<>(command);
    command.addAll(extraFlags);
    try {
      Files.createDirectories(workDir);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve(member + ".log").toFile()));
      if (failpoints) {
        builder.environment().put("GOFAIL_HTTP", ip(member) + ":" + FAILPOINT_PORT);
      }
      pod.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pod.binary = etcdBinary;
    pod.template = template;
    pod.createdAt = Instant.now();
    pod.exitedAt = null;
  }

  private static void stop(Pod pod, boolean kill) {
    if (pod == null || pod.process == null) {
      return;
    }
    try {
      if (kill) {
        pod.process.destroyForcibly();
      } else {
        pod.process.destroy();
      }
      if (!pod.process.waitFor(10, TimeUnit.SECONDS)) {
        pod.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pod.exitedAt = Instant.now();
  }

  private void wipe(int ordinal) {
    Directories.deleteRecursively(workDir.resolve(name(ordinal)));
  }

  @Override
  public synchronized void close() {
    pods.values().forEach(pod -> stop(pod, true));
    pods.clear();
    Directories.deleteAllButLogs(workDir);
  }
}
