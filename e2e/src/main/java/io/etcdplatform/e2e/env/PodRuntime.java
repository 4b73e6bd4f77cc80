package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  private final Thread thread;
  /** Init containers run one after the other, each to a successful exit, before the containers start. */
  private int initDone;
  private boolean initFailed;
  private volatile boolean stopping;
  private PodStatus reported;

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
    report(now);
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

  private void report(Instant now) {
    boolean initialized = initDone == initContainers.size();
    boolean allReady = initialized && containers.stream().allMatch(c -> c.probes().ready());
    boolean anyRunning = containers.stream().anyMatch(ContainerRun::running);
    boolean done = initialized && containers.stream().noneMatch(ContainerRun::running)
        && containers.stream().noneMatch(restartPolicy::mayStart);
    String phase = initFailed ? "Failed"
        : done ? (containers.stream().allMatch(ContainerRun::succeeded) ? "Succeeded" : "Failed")
        : anyRunning || containers.stream().anyMatch(c -> c.restarts() > 0) ? "Running" : "Pending";
    List<ContainerStatus> statuses = containers.stream().map(this::status).toList();
    PodStatus status = new PodStatusBuilder()
        .withPhase(phase)
        .withPodIP(ip)
        .withPodIPs(new io.fabric8.kubernetes.api.model.PodIPBuilder().withIp(ip).build())
        .withHostIP("127.0.0.1")
        .withStartTime(timestamp(containers.get(0).startedAt() == null ? now : containers.get(0).startedAt()))
        .withConditions(
            condition("PodScheduled", true, now),
            condition("Initialized", initialized, now),
            condition("ContainersReady", allReady, now),
            condition("Ready", allReady, now))
        .withContainerStatuses(statuses)
        .withInitContainerStatuses(initContainers.stream().map(this::initStatus).toList())
        .build();
    if (reported != null && withoutTimes(reported).equals(withoutTimes(status))) {
      return;
    }
    Pod update = new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace()).endMetadata()
        .withStatus(status)
        .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).patchStatus();
      reported = status;
    } catch (KubernetesClientException e) {
      log.warn("{}: status not reported: {}", name, e.getMessage());
    }
  }

  /** Keeps a condition's lastTransitionTime while its status is unchanged. */
  private PodCondition condition(String type, boolean value, Instant now) {
    String status = value ? "True" : "False";
    String since = reported == null ? null : reported.getConditions().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
        .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
    return new PodConditionBuilder().withType(type).withStatus(status)
        .withLastTransitionTime(since != null ? since : timestamp(now)).build();
  }

  private ContainerStatus status(ContainerRun run) {
    var builder = new ContainerStatusBuilder()
        .withName(run.spec().getName())
        .withImage(run.spec().getImage())
        .withImageID(run.spec().getImage())
        .withReady(run.probes().ready())
        .withStarted(run.running() && run.probes().started())
        .withRestartCount(run.restarts());
    if (run.running()) {
      builder.withNewState().withNewRunning().withStartedAt(timestamp(run.startedAt())).endRunning().endState();
    } else if (run.waitingReason() != null && restartPolicy.mayStart(run)) {
      builder.withNewState().withNewWaiting().withReason(run.waitingReason()).withMessage(run.waitingMessage()).endWaiting().endState();
    } else if (run.lastExitCode() != null) {
      builder.withNewState().withNewTerminated().withExitCode(run.lastExitCode()).withMessage(run.lastMessage())
          .withReason(run.lastExitCode() == 0 ? "Completed" : "Error").endTerminated().endState();
    }
    return builder.build();
  }

  private ContainerStatus initStatus(ContainerRun run) {
    var builder = new ContainerStatusBuilder()
        .withName(run.spec().getName())
        .withImage(run.spec().getImage())
        .withImageID(run.spec().getImage())
        .withReady(run.succeeded())
        .withRestartCount(run.restarts());
    if (run.running()) {
      builder.withNewState().withNewRunning().withStartedAt(timestamp(run.startedAt())).endRunning().endState();
    } else if (run.lastExitCode() != null) {
      builder.withNewState().withNewTerminated().withExitCode(run.lastExitCode()).withMessage(run.lastMessage())
          .withReason(run.lastExitCode() == 0 ? "Completed" : "Error").endTerminated().endState();
    } else {
      builder.withNewState().withNewWaiting().withReason(run.waitingReason()).withMessage(run.waitingMessage()).endWaiting().endState();
    }
    return builder.build();
  }

  private static PodStatus withoutTimes(PodStatus status) {
    PodStatus copy = new PodStatusBuilder(status).withStartTime(null).build();
    copy.getConditions().forEach(c -> c.setLastTransitionTime(null));
    return copy;
  }

  private static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
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
