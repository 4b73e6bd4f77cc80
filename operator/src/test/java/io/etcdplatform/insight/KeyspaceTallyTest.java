package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KeyspaceTallyTest {

  private static final KeyspaceBudget PLENTY = new KeyspaceBudget(1_000_000, Duration.ofMinutes(5));

  /** A clock the test moves. */
  private static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static byte[] key(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static KeyspaceTally tally(int depth, int topN) {
    return new KeyspaceTally(depth, topN, PLENTY, new StepClock());
  }

  @Test
  void kubernetesKeysCountPerResourceAndNamespace() {
    KeyspaceTally tally = tally(2, 10);
    for (int i = 0; i < 5; i++) {
      tally.accept(key("/registry/pods/big/pod-" + i), 100);
    }
    tally.accept(key("/registry/pods/small/pod-0"), 100);
    tally.accept(key("/registry/namespaces/big"), 10);
    tally.accept(key("/registry/namespaces/small"), 10);
    tally.accept(key("/registry/example.com/widgets/big/w-0"), 50);
    tally.accept(key("/registry/apiregistration.k8s.io/apiservices/v1.apps"), 20);
    tally.accept(key("/registry/services/specs/big/svc"), 30);
    tally.accept(key("/registry/services/endpoints/big/svc"), 30);

    KeyspaceReport report = tally.report();

    assertThat(report.partial()).isFalse();
    assertThat(report.totalKeys()).isEqualTo(12);
    assertThat(report.top()).first().isEqualTo(new KeyspacePrefix("/registry/pods/big/", "pods", "big", 5,
        5 * (key("/registry/pods/big/pod-0").length + 100)));
    assertThat(report.top()).extracting(KeyspacePrefix::prefix, KeyspacePrefix::resource,
        KeyspacePrefix::namespace, KeyspacePrefix::keys).contains(
            org.assertj.core.groups.Tuple.tuple("/registry/namespaces/", "namespaces", null, 2L),
            org.assertj.core.groups.Tuple.tuple("/registry/pods/small/", "pods", "small", 1L),
            org.assertj.core.groups.Tuple.tuple("/registry/example.com/widgets/big/", "example.com/widgets", "big", 1L),
            org.assertj.core.groups.Tuple.tuple("/registry/apiregistration.k8s.io/apiservices/",
                "apiregistration.k8s.io/apiservices", null, 1L),
            org.assertj.core.groups.Tuple.tuple("/registry/services/specs/big/", "services/specs", "big", 1L),
            org.assertj.core.groups.Tuple.tuple("/registry/services/endpoints/big/", "services/endpoints", "big",
                1L));
  }

  @Test
  void otherKeysCountByTheirFirstSegmentsDownToTheDepth() {
    KeyspaceTally tally = tally(2, 10);
    tally.accept(key("/app/users/alice/profile"), 0);
    tally.accept(key("/app/users/bob"), 0);
    tally.accept(key("/app/config"), 0);
    tally.accept(key("plain"), 0);

    assertThat(tally.report().top()).extracting(KeyspacePrefix::prefix, KeyspacePrefix::keys).containsExactly(
        org.assertj.core.groups.Tuple.tuple("/app/users/", 2L),
        org.assertj.core.groups.Tuple.tuple("", 1L),
        org.assertj.core.groups.Tuple.tuple("/app/", 1L));
    assertThat(tally(1, 10).prefixOf("/app/users/bob").prefix()).isEqualTo("/app/");
  }

  @Test
  void onlyTheTopNPrefixesByKeysAreReported() {
    KeyspaceTally tally = tally(2, 2);
    for (int ns = 0; ns < 5; ns++) {
      for (int i = 0; i <= ns; i++) {
        tally.accept(key("/registry/configmaps/ns-" + ns + "/cm-" + i), 1);
      }
    }
    KeyspaceReport report = tally.report();
    assertThat(report.totalKeys()).isEqualTo(15);
    assertThat(report.top()).extracting(KeyspacePrefix::namespace).containsExactly("ns-4", "ns-3");
  }

  @Test
  void theKeyBudgetStopsTheTallyAndMarksItPartial() {
    KeyspaceTally tally = new KeyspaceTally(2, 5, new KeyspaceBudget(3, Duration.ofMinutes(1)), new StepClock());
    assertThat(tally.accept(key("/a/1"), 0)).isTrue();
    assertThat(tally.accept(key("/a/2"), 0)).isTrue();
    assertThat(tally.accept(key("/a/3"), 0)).isTrue();
    assertThat(tally.accept(key("/a/4"), 0)).isFalse();
    KeyspaceReport report = tally.report();
    assertThat(report.partial()).isTrue();
    assertThat(report.stoppedBy()).isEqualTo("maxKeys 3");
    assertThat(report.totalKeys()).isEqualTo(3);
  }

  @Test
  void theTimeBudgetStopsTheTallyAndMarksItPartial() {
    StepClock clock = new StepClock();
    KeyspaceTally tally = new KeyspaceTally(2, 5, new KeyspaceBudget(100, Duration.ofSeconds(10)), clock);
    assertThat(tally.accept(key("/a/1"), 0)).isTrue();
    clock.now = clock.now.plusSeconds(10);
    assertThat(tally.accept(key("/a/2"), 0)).isFalse();
    assertThat(tally.report().partial()).isTrue();
    assertThat(tally.report().stoppedBy()).isEqualTo("maxSeconds 10");
  }

  @Test
  void aCompleteTallyIsNotPartial() {
    KeyspaceTally tally = new KeyspaceTally(2, 5, new KeyspaceBudget(3, Duration.ofMinutes(1)), new StepClock());
    tally.accept(key("/a/1"), 0);
    tally.accept(key("/a/2"), 0);
    assertThat(tally.report().partial()).isFalse();
  }

  @Test
  void aBudgetOfExactlyTheKeysThereAreIsNotPartialUntilAKeyIsLeftUnread() {
    KeyspaceTally tally = new KeyspaceTally(2, 5, new KeyspaceBudget(2, Duration.ofMinutes(1)), new StepClock());
    tally.accept(key("/a/1"), 0);
    tally.accept(key("/a/2"), 0);
    assertThat(tally.spent()).isTrue();
    assertThat(tally.report().partial()).isFalse();
    tally.stop();
    assertThat(tally.report().partial()).isTrue();
    assertThat(tally.report().stoppedBy()).isEqualTo("maxKeys 2");
  }

  @Test
  void badSettingsNameTheField() {
    assertThatThrownBy(() -> tally(0, 1)).hasMessageContaining("spec.insight.keyspace.depth");
    assertThatThrownBy(() -> tally(1, 0)).hasMessageContaining("spec.insight.keyspace.topN");
    assertThatThrownBy(() -> new KeyspaceBudget(0, Duration.ofSeconds(1)))
        .hasMessageContaining("spec.insight.keyspace.maxKeys");
    assertThatThrownBy(() -> new KeyspaceBudget(1, Duration.ZERO))
        .hasMessageContaining("spec.insight.keyspace.maxSeconds");
  }
}
