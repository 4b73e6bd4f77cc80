package io.etcdplatform.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackLaneTest {

  @Test
  void unsetIsLaneZeroAndAnotherLaneIsTakenAsGiven() {
    assertThat(LoopbackLane.lane(null)).isZero();
    assertThat(LoopbackLane.lane(" ")).isZero();
    assertThat(LoopbackLane.lane("3")).isEqualTo(3);
  }

  @Test
  void aLaneOutsideTheSecondOctetIsRefused() {
    assertThatThrownBy(() -> LoopbackLane.lane("256")).hasMessageContaining("0..255");
  }
}
