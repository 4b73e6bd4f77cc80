package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.KeyspaceInspectionSpec;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyspaceInspectionDueTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:30:00Z");

  @Test
  void offByDefaultAndOnDemandOncePerAnnotationValue() {
    var spec = new KeyspaceInspectionSpec();

    assertThat(KeyspaceInspectionDue.check(spec, null, null, NOW)).isEmpty();
    assertThat(KeyspaceInspectionDue.check(spec, "first", null, NOW)).hasValueSatisfying(
        r -> assertThat(r.request()).isEqualTo("first"));
    assertThat(KeyspaceInspectionDue.check(spec, "first", measured("2026-12-02T10:00:00Z", "first"), NOW))
        .as("that request was answered").isEmpty();
    assertThat(KeyspaceInspectionDue.check(spec, "second", measured("2026-12-02T10:00:00Z", "first"), NOW))
        .isPresent();
  }

  @Test
  void scheduledWhenTheCronFiredSinceTheLastInspectionKeepingTheAnsweredRequest() {
    var spec = new KeyspaceInspectionSpec();
    spec.setSchedule("0 * * * *");

    assertThat(KeyspaceInspectionDue.check(spec, null, null, NOW)).as("never measured").isPresent();
    assertThat(KeyspaceInspectionDue.check(spec, "first", measured("2026-12-02T10:00:05Z", "first"), NOW))
        .as("measured after 10:00").isEmpty();
    var due = KeyspaceInspectionDue.check(spec, "first", measured("2026-12-02T09:59:00Z", "first"), NOW);
    assertThat(due).hasValueSatisfying(r -> {
      assertThat(r.words()).isEqualTo("scheduled (0 * * * *)");
      assertThat(r.request()).as("a scheduled run must not make the answered annotation new again")
          .isEqualTo("first");
    });
  }

  private static KeyspaceStatus measured(String at, String request) {
    KeyspaceStatus status = new KeyspaceStatus();
    status.setMeasuredAt(at);
    status.setRequest(request);
    return status;
  }
}
