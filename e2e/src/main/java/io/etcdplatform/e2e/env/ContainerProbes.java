package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running container's probes and what they found. The first probe waits for the initial delay of
 * the startup probe, or else of the readiness probe. The startup probe runs once a period until it
 * passes; then liveness and readiness run together, at the shorter of their periods (10 s for an
 * absent probe): failureThreshold liveness failures in a row mean the container is to be restarted.
 */
final class ContainerProbes {

  private static final Logger log = LoggerFactory.getLogger(ContainerProbes.class);

  private final String container;
  private final Container spec;
  private final ProbeCheck check;
  private boolean started;
  private boolean ready;
  private int livenessFailures;
  private Instant nextProbe = Instant.EPOCH;

  /** @param container the container's name in logs */
  ContainerProbes(String container, Container spec, ProbeCheck check) {
    this.container = container;
    this.spec = spec;
    this.check = check;
  }

  /** Whether the startup probe has passed (or there is none). */
  boolean started() {
    return started;
  }

  boolean ready() {
    return ready;
  }

  /** A new process: its probes start over. */
  void containerStarted(Instant now) {
    livenessFailures = 0;
    started = spec.getStartupProbe() == null;
    nextProbe = now.plusSeconds(
        initialDelay(spec.getStartupProbe() != null ? spec.getStartupProbe() : spec.getReadinessProbe()));
  }

  void containerExited() {
    ready = false;
    started = false;
  }

  /**
   * Runs the probes that are due.
   *
   * @return false when the container is to be restarted: liveness failed failureThreshold times in a row
   */
  boolean probe(Instant now) {
    if (now.isBefore(nextProbe)) {
      return true;
    }
    if (!started) {
      started = check.passes(spec.getStartupProbe());
      nextProbe = now.plusSeconds(period(spec.getStartupProbe()));
      return true;
    }
    if (livenessFailed()) {
      log.info("{}: liveness failed {} times, restarting", container, livenessFailures);
      return false;
    }
    ready = spec.getReadinessProbe() == null || check.passes(spec.getReadinessProbe());
    nextProbe = now.plusSeconds(Math.min(period(spec.getReadinessProbe()), period(spec.getLivenessProbe())));
    return true;
  }

  private boolean livenessFailed() {
    Probe liveness = spec.getLivenessProbe();
    if (liveness == null) {
      return false;
    }
    livenessFailures = check.passes(liveness) ? 0 : livenessFailures + 1;
    return livenessFailures >= threshold(liveness);
  }

  private static int initialDelay(Probe probe) {
    return probe == null || probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
  }

  private static int period(Probe probe) {
    return probe == null || probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
  }

  private static int threshold(Probe probe) {
    return probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
  }
}
