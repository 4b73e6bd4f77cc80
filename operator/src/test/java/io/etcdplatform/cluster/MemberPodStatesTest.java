package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.observation.PodState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberPodStatesTest {

  private static Pod pod(String name, String revision, String ready, String since) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withCreationTimestamp("2026-01-01T00:00:00Z")
          .addToLabels("controller-revision-hash", revision).endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withLastTransitionTime(since).endCondition()
        .endStatus()
        .build();
  }

  @Test
  void readsReadinessTemplateRevisionAndSinceWhenNotReady() {
    var sts = new StatefulSetBuilder().withNewStatus().withUpdateRevision("rev-2").endStatus().build();

    List<PodState> states = MemberPodStates.of(cluster("main", 3), List.of(
        pod("main-0", "rev-2", "True", "2026-01-01T00:01:00Z"),
        pod("main-10", "rev-1", "False", "2026-01-01T00:05:00Z"),
        pod("other-0", "rev-2", "True", "2026-01-01T00:01:00Z")), Optional.of(sts));

    assertThat(states).containsExactly(
        new PodState("main-0", 0, true, true, Instant.parse("2026-01-01T00:00:00Z"), null, false, false),
        new PodState("main-10", 10, false, false, Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:05:00Z"), false, false));
  }

  /**
   * Found end to end (#18): a pass woken at once by the pod's label change planned on a status whose
   * last defragmentation was not cached yet, and defragmented the member again.
   */
  @Test
  void aChangeOfTheClientEndpointLabelAloneWakesNoPass() {
    Pod before = pod("main-0", "rev-2", "True", "2026-01-01T00:01:00Z");
    before.getMetadata().getLabels().put("etcdplatform.io/client-endpoint", "true");
    Pod heldOut = new PodBuilder(before).editMetadata().addToLabels("etcdplatform.io/client-endpoint", "false")
        .endMetadata().build();
    Pod notReady = new PodBuilder(heldOut).editStatus().editFirstCondition().withStatus("False").endCondition()
        .endStatus().build();

    assertThat(MemberPodStates.onlyClientEndpointChanged(heldOut, before)).isTrue();
    assertThat(MemberPodStates.onlyClientEndpointChanged(notReady, before)).as("readiness changed too").isFalse();
    assertThat(MemberPodStates.onlyClientEndpointChanged(notReady, heldOut)).as("no label change").isFalse();
  }

  /** A pod is in the client endpoints while its label says "true"; held out ("false") or without it (older pods), not. */
  @Test
  void readsWhetherTheClientServiceSelectsThePod() {
    Pod in = pod("main-0", "rev-2", "True", "2026-01-01T00:01:00Z");
    in.getMetadata().getLabels().put("etcdplatform.io/client-endpoint", "true");
    Pod out = pod("main-1", "rev-2", "True", "2026-01-01T00:01:00Z");
    out.getMetadata().getLabels().put("etcdplatform.io/client-endpoint", "false");

    assertThat(MemberPodStates.of(cluster("main", 3), List.of(in, out), Optional.empty()))
        .extracting(PodState::inClientEndpoints).containsExactly(true, false);
  }

  /** Issue 13, defect 4: a Terminating pod (its node lost) was dropped, so its member never ran out of grace. */
  @Test
  void aTerminatingPodIsKeptAndMarked() {
    Pod leaving = pod("main-1", "rev-2", "True", "2026-01-01T00:01:00Z");
    leaving.getMetadata().setDeletionTimestamp("2026-01-01T00:02:00Z");

    List<PodState> states = MemberPodStates.of(cluster("main", 3), List.of(leaving), Optional.empty());

    assertThat(states).singleElement().satisfies(state -> assertThat(state.terminating()).isTrue());
  }

  @Test
  void aPodOnALostNodeNamesItAndOnlyTroubledPodsNodesAreAskedAbout() {
    Pod ready = pod("main-0", "rev-2", "True", "2026-01-01T00:01:00Z");
    ready.setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder().withNodeName("node-0").build());
    Pod notReady = pod("main-1", "rev-2", "False", "2026-01-01T00:01:00Z");
    notReady.setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder().withNodeName("node-1").build());
    Pod leaving = pod("main-2", "rev-2", "True", "2026-01-01T00:01:00Z");
    leaving.setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder().withNodeName("node-2").build());
    leaving.getMetadata().setDeletionTimestamp("2026-01-01T00:02:00Z");
    Pod unbound = pod("main-3", "rev-2", "False", "2026-01-01T00:01:00Z");

    assertThat(MemberPodStates.nodesOfTroubledPods(List.of(ready, notReady, leaving, unbound)))
        .containsExactlyInAnyOrder("node-1", "node-2");
    assertThat(MemberPodStates.of(cluster("main", 4), List.of(ready, notReady, leaving, unbound), Optional.empty(),
        java.util.Set.of("node-1")))
        .extracting(PodState::lostNode).containsExactly(null, "node-1", null, null);
  }
}
