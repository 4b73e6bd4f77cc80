package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One container of a pod: its current process and the signals sent to it, how the last process
 * ended, and when (the restart backoff) and why the next one waits to start.
 */
final class ContainerRun {

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  private final Container spec;
  private final String name;
  private final ContainerProbes probes;
  private Process process;
  private TerminationMessage terminationMessage;
  private Optional<Path> cgroup = Optional.empty();
  private Instant startedAt;
  private Instant nextStart = Instant.EPOCH;
  private Duration backoff = Duration.ofSeconds(1);
  private int restarts;
  private Integer lastExitCode;
  private String lastMessage;
  private String waitingReason = "ContainerCreating";
  private String waitingMessage;

  /** @param pod the pod's namespace/name */
  ContainerRun(String pod, Container spec, ProbeCheck check) {
    this.spec = spec;
    this.name = pod + "/" + spec.getName();
    this.probes = new ContainerProbes(name, spec, check);
  }

  Container spec() {
    return spec;
  }

  /** namespace/pod/container, for logs. */
  String name() {
    return name;
  }

  ContainerProbes probes() {
    return probes;
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Its process has exited, how not yet recorded ({@link #recordExit()}). */
  boolean exited() {
    return process != null && !process.isAlive();
  }

  boolean neverStarted() {
    return process == null && lastExitCode == null;
  }

  boolean dueToStart(Instant now) {
    return !now.isBefore(nextStart);
  }

  long pid() {
    return process.pid();
  }

  Instant startedAt() {
    return startedAt;
  }

  int restarts() {
    return restarts;
  }

  /** Null until a process of it exited. */
  Integer lastExitCode() {
    return lastExitCode;
  }

  boolean succeeded() {
    return Objects.equals(lastExitCode, 0);
  }

  String lastMessage() {
    return lastMessage;
  }

  /** Null while a process runs. */
  String waitingReason() {
    return waitingReason;
  }

  String waitingMessage() {
    return waitingMessage;
  }

  void started(Process process, TerminationMessage terminationMessage, Optional<Path> cgroup, Instant now) {
    this.process = process;
    this.cgroup = cgroup;
    this.terminationMessage = terminationMessage;
    startedAt = now;
    waitingReason = null;
    probes.containerStarted(now);
  }

  /** The container cannot start now: why, and when to try again. */
  void waitToStart(String reason, String message, Instant retryAt) {
    waitingReason = reason;
    waitingMessage = message;
    nextStart = retryAt;
  }

  /** Records how the process that {@link #exited()} ended; the container then has no process. */
  void recordExit() {
    lastExitCode = process.exitValue();
    lastMessage = terminationMessage.read(lastExitCode);
    process = null;
    cgroup.ifPresent(MemoryCgroup::remove);
    probes.containerExited();
  }

  void countRestart() {
    restarts++;
  }

  /** The next start waits, twice as long after each failure, up to MAX_BACKOFF. */
  void backOff(Instant now) {
    waitToStart("CrashLoopBackOff", "back-off " + backoff.toSeconds() + "s restarting failed container",
        now.plus(backoff));
    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  /** SIGTERM, without waiting for the process to exit. */
  void terminate() {
    if (process != null) {
      process.destroy();
    }
  }

  /** SIGTERM, SIGKILL once the grace period is over; returns when the process has exited. */
  void stop(Duration grace) {
    if (process == null) {
      return;
    }
    terminate();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cgroup.ifPresent(MemoryCgroup::remove);
  }

  /** SIGKILL, without waiting. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** SIGSTOP (true) or SIGCONT (false), when it runs. */
  void pause(boolean paused) throws IOException, InterruptedException {
    if (running()) {
      new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid())).start()
          .waitFor(5, TimeUnit.SECONDS);
    }
  }
}
