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
 * @param inClientEndpoints the client Service selects it (its client-endpoint label is "true"); false
 *     while maintenance holds it out, and for a pod made before the label existed
 */
public record PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
    Instant notReadySince, boolean terminating, String lostNode, boolean inClientEndpoints) {

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince, boolean terminating) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, terminating, null, true);
  }

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince, boolean terminating, String lostNode) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, terminating, lostNode, true);
  }

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince, boolean terminating, boolean inClientEndpoints) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, terminating, null, inClientEndpoints);
  }

  public boolean onLostNode() {
    return lostNode != null;
  }

  public PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt,
      Instant notReadySince) {
    this(name, ordinal, ready, upToDate, createdAt, notReadySince, false);
  }
}
