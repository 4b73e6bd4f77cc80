package io.etcdplatform.observation;

import java.time.Instant;

/**
 * A member pod as observed in Kubernetes.
 *
 * @param upToDate runs the StatefulSet's current template (version, flags); false means a restart is due
 * @param notReadySince when it last became not ready (its Ready condition), null while ready
 * @param terminating being deleted (Terminating): its member counts as failed, and it as no stray pod
 * @param inClientEndpoints the client Service selects it (its client-endpoint label is "true"); false
 *     while maintenance holds it out, and for a pod made before the label existed
 */
public record PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
    Instant notReadySince, boolean terminating, boolean inClientEndpoints) {

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince, boolean terminating) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, terminating, true);
  }

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, false);
  }
}
