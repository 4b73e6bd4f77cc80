package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.KubernetesMemberAddresses;
import io.etcdplatform.observation.PodState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The member pods as the planner sees them. */
public final class MemberPodStates {

  static final String REVISION_LABEL = "controller-revision-hash";

  private MemberPodStates() {}

  public static List<PodState> of(EtcdCluster cluster, Collection<Pod> pods, Optional<StatefulSet> statefulSet) {
    return of(cluster, pods, statefulSet, Set.of());
  }

  /** @param lostNodes the names of the Nodes that are lost ({@link io.etcdplatform.kube.LostNodes}) */
  public static List<PodState> of(EtcdCluster cluster, Collection<Pod> pods, Optional<StatefulSet> statefulSet,
      Set<String> lostNodes) {
    KubernetesMemberAddresses addresses = KubernetesMemberAddresses.of(cluster);
    String updateRevision = statefulSet.map(StatefulSet::getStatus).map(s -> s.getUpdateRevision()).orElse(null);
    return pods.stream()
        .filter(pod -> addresses.ordinal(pod.getMetadata().getName()).isPresent())
        .map(pod -> {
          Optional<PodCondition> ready = readyCondition(pod);
          boolean isReady = ready.map(c -> "True".equals(c.getStatus())).orElse(false);
          String revision = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(REVISION_LABEL);
          return new PodState(
              pod.getMetadata().getName(),
              addresses.ordinal(pod.getMetadata().getName()).getAsInt(),
              isReady,
              updateRevision == null || Objects.equals(revision, updateRevision),
              Instant.parse(pod.getMetadata().getCreationTimestamp()),
              isReady ? null : ready.map(PodCondition::getLastTransitionTime).map(Instant::parse)
                  .orElse(Instant.parse(pod.getMetadata().getCreationTimestamp())),
              pod.getMetadata().getDeletionTimestamp() != null,
              nodeOf(pod) != null && lostNodes.contains(nodeOf(pod)) ? nodeOf(pod) : null,
              pod.getMetadata().getLabels() != null && ClusterLabels.IN_CLIENT_ENDPOINTS.equals(
                  pod.getMetadata().getLabels().get(ClusterLabels.CLIENT_ENDPOINT)));
        })
        .toList();
  }

  /** The Nodes worth asking whether they are lost: those of pods not ready or Terminating. */
  public static Set<String> nodesOfTroubledPods(Collection<Pod> pods) {
    return pods.stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() != null
            || !readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false))
        .map(MemberPodStates::nodeOf).filter(Objects::nonNull)
        .collect(Collectors.toSet());
  }

  private static String nodeOf(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty() ? null : node;
  }

  /** The update changed the pod's client-endpoint label and nothing else a pass reads. */
  static boolean onlyClientEndpointChanged(Pod now, Pod before) {
    Map<String, String> labelsNow = new HashMap<>(now.getMetadata().getLabels() == null ? Map.of()
        : now.getMetadata().getLabels());
    Map<String, String> labelsBefore = new HashMap<>(before.getMetadata().getLabels() == null ? Map.of()
        : before.getMetadata().getLabels());
    return !Objects.equals(labelsNow.remove(ClusterLabels.CLIENT_ENDPOINT),
        labelsBefore.remove(ClusterLabels.CLIENT_ENDPOINT))
        && labelsNow.equals(labelsBefore)
        && Objects.equals(now.getSpec(), before.getSpec()) && Objects.equals(now.getStatus(), before.getStatus())
        && Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }
}
