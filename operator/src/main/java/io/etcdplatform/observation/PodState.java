package io.etcdplatform.observation;

import java.time.Instant;

/**
 * A member pod as observed in Kubernetes.
 *
 * @param upToDate runs the StatefulSet's current template (version, flags); false means a restart is due
 * @param notReadySince when it last became not ready (its Ready condition), null while ready
 * @param terminating being deleted (Terminating): its member counts as failed, and it as no stray pod
 */
public record PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
    Instant notReadySince, boolean terminating) {

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, false);
  }
}
