package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the local node: its containers run as processes, each in its own mount namespace
 * ({@code unshare}) with the pod's volumes and the cluster hosts file bind-mounted
 * ({@link ContainerLauncher}), its probes run ({@link ContainerProbes}), its status reported
 * ({@link PodStatusReporter}). Containers that exit are restarted per restartPolicy with a backoff.
 */
final class PodRuntime {

  private static final Logger log = LoggerFactory.getLogger(PodRuntime.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final Duration LIVENESS_RESTART_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final String ip;
  private final RestartPolicy restartPolicy;
  private final ContainerLauncher launcher;
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
    this.name = Cache.metaNamespaceKeyFunc(pod);
    this.ip = ip;
    this.restartPolicy = new RestartPolicy(pod.getSpec().getRestartPolicy());
    this.launcher = new ContainerLauncher(client, pod, ip, podDir, hosts, images, volumes);
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
    if (stopping) {
      return; // terminate() ran while this tick waited: nothing may start or report again
    }
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
        launcher.start(run, now);
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
      launcher.start(run, now);
    }
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
