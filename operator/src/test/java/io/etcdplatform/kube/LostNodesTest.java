package io.etcdplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class LostNodesTest {

  private static Node node(String ready, String taint, String effect) {
    var builder = new NodeBuilder().withNewMetadata().withName("n").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
    if (taint != null) {
      builder.withNewSpec().addNewTaint().withKey(taint).withEffect(effect).endTaint().endSpec();
    }
    return builder.build();
  }

  @Test
  void aNodeTheLifecycleControllerMarkedUnknownAndTaintedUnreachableIsLost() {
    assertThat(LostNodes.lost(node("Unknown", "node.kubernetes.io/unreachable", "NoExecute"))).isTrue();
    assertThat(LostNodes.lost(node("False", "node.kubernetes.io/not-ready", "NoExecute"))).isTrue();
  }

  @Test
  void aNodeThatIsGoneIsLost() {
    assertThat(LostNodes.lost(null)).isTrue();
  }

  @Test
  void aReadyNodeOrANotReadyOneNotYetTaintedIsNotLost() {
    assertThat(LostNodes.lost(node("True", null, null))).isFalse();
    assertThat(LostNodes.lost(node("True", "node.kubernetes.io/unreachable", "NoExecute"))).isFalse();
    assertThat(LostNodes.lost(node("Unknown", null, null))).isFalse();
    assertThat(LostNodes.lost(node("Unknown", "node.kubernetes.io/unreachable", "NoSchedule"))).isFalse();
    assertThat(LostNodes.lost(node("Unknown", "example.com/other", "NoExecute"))).isFalse();
  }
}
