package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The scheduler's part of the node agent (pure): which of the live Nodes a pod is bound to. Pod
 * anti-affinity on {@code kubernetes.io/hostname} is honoured (required terms exclude a Node with a
 * matching pod in the pod's namespace, preferred ones weigh against it, as the scheduler's
 * InterPodAffinity does); then the Node with the fewest pods, then the first by name. Other
 * topology keys, node affinity, taints other than a lost Node's, and resources are not considered.
 */
public final class NodeChoice {

  static final String HOSTNAME = "kubernetes.io/hostname";

  private NodeChoice() {}

  /**
   * @param liveNodes the Nodes that run pods now
   * @param bound every pod bound to a Node, with its Node's name ({@code spec.nodeName})
   */
  public static Optional<String> of(Pod pod, List<String> liveNodes, Collection<Pod> bound) {
    List<PodAffinityTerm> required = antiAffinity(pod).required();
    List<WeightedPodAffinityTerm> preferred = antiAffinity(pod).preferred();
    return liveNodes.stream()
        .filter(node -> required.stream().noneMatch(term -> matchesOn(term, pod, node, bound)))
        .min(Comparator.<String>comparingInt(node -> preferred.stream()
                .filter(w -> matchesOn(w.getPodAffinityTerm(), pod, node, bound))
                .mapToInt(WeightedPodAffinityTerm::getWeight).sum())
            .thenComparingLong(node -> bound.stream().filter(p -> node.equals(p.getSpec().getNodeName())).count())
            .thenComparing(Comparator.naturalOrder()));
  }

  private record AntiAffinity(List<PodAffinityTerm> required, List<WeightedPodAffinityTerm> preferred) {}

  private static AntiAffinity antiAffinity(Pod pod) {
    var anti = pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getPodAntiAffinity();
    if (anti == null) {
      return new AntiAffinity(List.of(), List.of());
    }
    return new AntiAffinity(
        Optional.ofNullable(anti.getRequiredDuringSchedulingIgnoredDuringExecution()).orElse(List.of()).stream()
            .filter(t -> HOSTNAME.equals(t.getTopologyKey())).toList(),
        Optional.ofNullable(anti.getPreferredDuringSchedulingIgnoredDuringExecution()).orElse(List.of()).stream()
            .filter(w -> HOSTNAME.equals(w.getPodAffinityTerm().getTopologyKey())).toList());
  }

  /** A pod other than this one, on that Node, in the term's namespaces (the pod's own by default), matching it. */
  private static boolean matchesOn(PodAffinityTerm term, Pod pod, String node, Collection<Pod> bound) {
    List<String> namespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty()
        ? List.of(pod.getMetadata().getNamespace()) : term.getNamespaces();
    return bound.stream()
        .filter(other -> node.equals(other.getSpec().getNodeName()))
        .filter(other -> !Objects.equals(other.getMetadata().getUid(), pod.getMetadata().getUid()))
        .filter(other -> namespaces.contains(other.getMetadata().getNamespace()))
        .anyMatch(other -> matches(term.getLabelSelector(), other.getMetadata().getLabels()));
  }

  /** matchLabels only (what the operator's term uses); a term with expressions matches nothing here. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null || selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    return Stream.ofNullable(selector.getMatchLabels()).flatMap(m -> m.entrySet().stream())
        .allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }
}
