package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the local node: its containers run as processes, each in its own mount namespace
 * ({@code unshare}) with the pod's volumes and the cluster hosts file bind-mounted, its probes run,
 * its status reported. Containers that exit are restarted per restartPolicy with a backoff.
 */
final class PodRuntime {

  private static final Logger log = LoggerFactory.getLogger(PodRuntime.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration LIVENESS_RESTART_GRACE = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Pod pod;
  private final String name;
  private final String ip;
  private final Path podDir;
  private final HostsFile hosts;
  private final ImageResolver images;
  private final Volumes volumes;
  private final RestartPolicy restartPolicy;
  private final List<ContainerRun> initContainers = new ArrayList<>();
  private final List<ContainerRun> containers = new ArrayList<>();
  private final PodStatusReporter reporter;
  private final Thread thread;
  /** Init containers run one after the other, each to a successful exit, before the containers start. */
  private int initDone;
  private boolean initFailed;
  private volatile boolean stopping;

  PodRuntime(KubernetesClient client, Pod pod, String ip, Path podDir, HostsFile hosts, ImageResolver images,
      Volumes volumes) {
    this.client = client;
    this.pod = pod;
    this.name = Cache.metaNamespaceKeyFunc(pod);
    this.ip = ip;
    this.podDir = podDir;
    this.hosts = hosts;
    this.images = images;
    this.volumes = volumes;
    this.restartPolicy = new RestartPolicy(pod.getSpec().getRestartPolicy());
    // exec probes run in the mount namespace of the pod's first container
    ProbeCheck check = new ProbeCheck(ip, pod.getSpec().getContainers(), () -> containers.get(0).pid());
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().getInitContainers().forEach(c -> initContainers.add(new ContainerRun(name, c, check)));
    }
    pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerRun(name, c, check)));
    this.reporter = new PodStatusReporter(client, pod, ip, restartPolicy, initContainers, containers);
    this.thread = new Thread(this::run, "pod-" + pod.getMetadata().getName());
    this.thread.setDaemon(true);
  }

  String ip() {
    return ip;
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (!stopping) {
      try {
        tick();
      } catch (RuntimeException e) {
        log.warn("{}: {}", name, e.toString());
      }
      sleep(TICK);
    }
  }

  private synchronized void tick() {
    Instant now = Instant.now();
    if (initDone < initContainers.size()) {
      runInit(initContainers.get(initDone), now);
    } else {
      containers.forEach(run -> runContainer(run, now));
    }
    reporter.report(now, initDone == initContainers.size(), initFailed);
  }

  private void runInit(ContainerRun run, Instant now) {
    if (initFailed || run.running()) {
      return;
    }
    if (!run.exited()) {
      if (run.dueToStart(now)) {
        startContainer(run, now);
      }
      return;
    }
    run.recordExit();
    if (run.succeeded()) {
      initDone++;
    } else if (!restartPolicy.retriesFailedInit()) {
      initFailed = true;
    } else {
      run.countRestart();
      run.backOff(now);
    }
  }

  private void runContainer(ContainerRun run, Instant now) {
    if (run.running()) {
      if (!run.probes().probe(now)) {
        run.stop(LIVENESS_RESTART_GRACE);
      }
      return;
    }
    if (run.exited()) {
      run.recordExit();
      if (restartPolicy.restartsAfter(run.lastExitCode())) {
        run.countRestart();
      }
      run.backOff(now);
      log.info("{}: exited with {}", run.name(), run.lastExitCode());
    }
    if (restartPolicy.mayStart(run) && run.dueToStart(now)) {
      startContainer(run, now);
    }
  }

  private void startContainer(ContainerRun run, Instant now) {
    Container spec = run.spec();
    try {
      List<String> command = spec.getCommand() == null ? List.of() : spec.getCommand();
      var image = images.resolve(spec.getImage(), command);
      if (image.isEmpty()) {
        run.waitToStart("ErrImagePull", "image " + spec.getImage() + " has no local executable", now.plusSeconds(5));
        return;
      }
      Map<String, Path> mounts = new LinkedHashMap<>(image.get().files());
      mounts.putAll(volumes.mounts(pod, spec, podDir));
      Map<String, String> env = ContainerEnv.of(client, pod, spec, ip);
      List<String> words = new ArrayList<>();
      words.addAll(image.get().entrypoint());
      if (command.size() > 1) {
        words.addAll(ContainerEnv.expand(command.subList(1, command.size()), env));
      }
      words.addAll(ContainerEnv.expand(spec.getArgs(), env));
      Path output = podDir.resolve(spec.getName() + ".log");
      TerminationMessage message = TerminationMessage.prepare(run.name(), spec, mounts, output);
      Path script = podDir.resolve(spec.getName() + ".sh");
      Files.writeString(script, script(mounts, words));
      ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", script.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
      builder.environment().clear();
      builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
      builder.environment().put("HOSTNAME", pod.getMetadata().getName());
      builder.environment().putAll(env);
      run.started(builder.start(), message, now);
      log.info("{}: started pid {}", run.name(), run.pid());
    } catch (IOException | RuntimeException e) {
      run.waitToStart("CreateContainerConfigError", e.getMessage(), now.plusSeconds(2));
      log.info("{}: cannot start yet: {}", run.name(), e.getMessage());
    }
  }

  /**
   * Mounts the hosts file, the image's files and the volumes, then execs the container's process
   * (same pid). A mount that hides another's source (an emptyDir at /tmp while this environment
   * lives under /tmp) comes after it; otherwise parents before children.
   */
  private String script(Map<String, Path> mounts, List<String> words) {
    StringBuilder s = new StringBuilder("set -e\n");
    s.append("mount --bind ").append(quote(hosts.path().toString())).append(" /etc/hosts\n");
    s.append("mount --bind ").append(quote(hosts.resolvConf().toString())).append(" /etc/resolv.conf\n");
    List<Path> sources = mounts.values().stream().map(Path::toAbsolutePath).toList();
    mounts.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Path> m) -> hidesASource(Path.of(m.getKey()), sources))
            .thenComparing(m -> Path.of(m.getKey()).getNameCount()))
        .forEach(m -> s.append("mkdir -p ").append(quote(m.getKey())).append('\n')
            .append("mount --bind ").append(quote(m.getValue().toString())).append(' ').append(quote(m.getKey()))
            .append('\n'));
    s.append("exec");
    words.forEach(w -> s.append(' ').append(quote(w)));
    return s.append('\n').toString();
  }

  private static boolean hidesASource(Path target, List<Path> sources) {
    return sources.stream().anyMatch(source -> source.startsWith(target));
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** SIGTERM to every container, SIGKILL after the grace period; returns when all have exited. */
  void terminate(Duration grace) {
    stopping = true;
    synchronized (this) {
      List<ContainerRun> all = new ArrayList<>(initContainers);
      all.addAll(containers);
      all.forEach(ContainerRun::terminate);
      all.forEach(run -> run.stop(grace));
    }
    try {
      thread.join(TICK.toMillis() * 4);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Failure injection: kill -9 a container; it is restarted per restartPolicy. */
  synchronized void crash(String container) {
    containers.stream().filter(c -> c.spec().getName().equals(container)).forEach(ContainerRun::kill);
  }

  /** Failure injection: SIGSTOP (true) or SIGCONT (false) to every container. */
  synchronized void pause(boolean paused) throws IOException, InterruptedException {
    for (ContainerRun run : containers) {
      run.pause(paused);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
