package io.etcdplatform.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Set;

/**
 * When a Node counts as lost: no kubelet reports for it. The node-lifecycle controller then sets its
 * Ready condition to Unknown (or a kubelet reported False) and taints it {@code NoExecute}
 * unreachable or not-ready; a Node that is gone has no kubelet either. Both are needed, so that a
 * Ready condition that flickers for a moment is not yet a lost node.
 */
public final class LostNodes {

  static final Set<String> NO_KUBELET_TAINTS = Set.of("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");

  private LostNodes() {}

  /** @param node the Node a pod is bound to, null when it does not exist */
  public static boolean lost(Node node) {
    if (node == null) {
      return true;
    }
    boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType())).map(NodeCondition::getStatus).anyMatch("True"::equals);
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
        : node.getSpec().getTaints();
    boolean tainted = taints.stream()
        .anyMatch(t -> NO_KUBELET_TAINTS.contains(t.getKey()) && "NoExecute".equals(t.getEffect()));
    return !ready && tainted;
  }
}
