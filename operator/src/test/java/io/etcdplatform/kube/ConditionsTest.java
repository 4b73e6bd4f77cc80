package io.etcdplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

  private static Condition existing(String type, String status) {
    return new ConditionBuilder(Conditions.of(type, "True".equals(status), "Old", "old", 1))
        .withLastTransitionTime(EARLIER.toString()).build();
  }

  @Test
  void keepsTheTransitionTimeWhenOnlyReasonOrMessageChange() {
    var merged = Conditions.merge(List.of(existing("Available", "True")),
        List.of(Conditions.of("Available", true, "New", "new message", 2)), NOW);

    assertThat(merged).singleElement().satisfies(c -> {
      assertThat(c.getLastTransitionTime()).isEqualTo(EARLIER.toString());
      assertThat(c.getReason()).isEqualTo("New");
      assertThat(c.getMessage()).isEqualTo("new message");
      assertThat(c.getObservedGeneration()).isEqualTo(2L);
    });
  }

  @Test
  void stampsTheTransitionTimeInWholeSecondsWhenTheStatusFlips() {
    var merged = Conditions.merge(List.of(existing("Available", "True")),
        List.of(Conditions.of("Available", false, "MembersNotReady", "1 of 3", 2)), NOW);

    assertThat(merged).singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-02T03:04:05Z"));
  }

  @Test
  void keepsConditionsOfOtherTypes() {
    var merged = Conditions.merge(List.of(existing("Available", "True"), existing("Degraded", "False")),
        List.of(Conditions.of("Progressing", false, "Paused", "paused", 2)), NOW);

    assertThat(merged).extracting(Condition::getType).containsExactly("Progressing", "Available", "Degraded");
  }
}
