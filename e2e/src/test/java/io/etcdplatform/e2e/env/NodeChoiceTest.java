package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeChoiceTest {

  private static final List<String> NODES = List.of("node-0", "node-1", "node-2");

  private static PodBuilder pod(String name, String instance, String node) {
    return new PodBuilder().withNewMetadata().withName(name).withUid(name).withNamespace("default")
        .addToLabels("app.kubernetes.io/instance", instance).endMetadata()
        .withNewSpec().withNodeName(node).endSpec();
  }

  private static Pod preferringOnePerNode(String name, String instance) {
    return pod(name, instance, null).editSpec().withNewAffinity().withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withNewPodAffinityTerm()
          .withTopologyKey("kubernetes.io/hostname")
          .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/instance", instance).endLabelSelector()
        .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  private static Pod requiringOnePerNode(String name, String instance) {
    return pod(name, instance, null).editSpec().withNewAffinity().withNewPodAntiAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("kubernetes.io/hostname")
          .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/instance", instance).endLabelSelector()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity().endAffinity().endSpec().build();
  }

  @Test
  void preferredAntiAffinityAvoidsANodeWithAMemberOfTheSameClusterEvenIfItHasFewerPods() {
    List<Pod> bound = List.of(pod("c-0", "c", "node-0").build(), pod("c-1", "c", "node-1").build(),
        pod("x-0", "x", "node-2").build(), pod("x-1", "x", "node-2").build());

    assertThat(NodeChoice.of(preferringOnePerNode("c-2", "c"), NODES, bound)).contains("node-2");
  }

  @Test
  void withEveryNodeTakenPreferredAntiAffinityStillBindsToTheLeastLoaded() {
    List<Pod> bound = List.of(pod("c-0", "c", "node-0").build(), pod("c-1", "c", "node-1").build(),
        pod("c-2", "c", "node-2").build(), pod("x-0", "x", "node-0").build());

    assertThat(NodeChoice.of(preferringOnePerNode("c-3", "c"), NODES, bound)).contains("node-1");
  }

  @Test
  void requiredAntiAffinityLeavesThePodPendingWhenEveryNodeHasAMatch() {
    List<Pod> bound = List.of(pod("c-0", "c", "node-0").build(), pod("c-1", "c", "node-1").build());

    assertThat(NodeChoice.of(requiringOnePerNode("c-2", "c"), List.of("node-0", "node-1"), bound)).isEmpty();
    assertThat(NodeChoice.of(requiringOnePerNode("c-2", "c"), NODES, bound)).contains("node-2");
  }

  @Test
  void withoutAffinityTheNodeWithFewestPodsThenTheFirstByName() {
    assertThat(NodeChoice.of(pod("a", "a", null).build(), NODES, List.of())).contains("node-0");
    assertThat(NodeChoice.of(pod("a", "a", null).build(), NODES, List.of(pod("b", "b", "node-0").build())))
        .contains("node-1");
    assertThat(NodeChoice.of(pod("a", "a", null).build(), List.of(), List.of())).isEmpty();
  }
}
