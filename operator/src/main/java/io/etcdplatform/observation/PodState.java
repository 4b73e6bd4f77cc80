package io.etcdplatform.observation;

import java.time.Instant;

/**
 * A member pod as observed in Kubernetes.
 *
 * @param upToDate runs the StatefulSet's current template (version, flags); false means a restart is due
 * @param notReadySince when it last became not ready (its Ready condition), null while ready
 * @param terminating being deleted (Terminating): its member counts as failed, and it as no stray pod
 * @param lostNode the Node it is bound to when that Node is lost (no kubelet reports: Ready not True
 *     and tainted unreachable or not-ready, or the Node is gone), null otherwise: nothing on that
 *     node stops or deletes the pod, so it stays Terminating until someone force-deletes it
 */
public record PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
    Instant notReadySince, boolean terminating, String lostNode) {

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince, boolean terminating) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, terminating, null);
  }

  public boolean onLostNode() {
    return lostNode != null;
  }

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, false);
  }
}
