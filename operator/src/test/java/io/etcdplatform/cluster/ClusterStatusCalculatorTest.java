package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterStatusCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static StatefulSet statefulSet(int replicas, int ready, boolean rolledOut) {
    return new StatefulSetBuilder()
        .withNewMetadata().withGeneration(4L).endMetadata()
        .withNewStatus()
          .withObservedGeneration(4L)
          .withReplicas(replicas)
          .withReadyReplicas(ready)
          .withCurrentRevision("r1")
          .withUpdateRevision(rolledOut ? "r1" : "r2")
        .endStatus()
        .build();
  }

  private static String condition(EtcdClusterStatus status, String type) {
    var c = Conditions.find(status.getConditions(), type);
    return c.getStatus() + "/" + c.getReason();
  }

  @Test
  void aClusterWithoutItsStatefulSetIsPending() {
    var status = ClusterStatusCalculator.observed(cluster("main", 3), Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Pending);
    assertThat(status.getReady()).isEqualTo("0/3");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("False/MembersNotReady");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("True/ApplyingSpec");
    assertThat(condition(status, Conditions.DEGRADED)).isEqualTo("False/AsExpected");
  }

  @Test
  void allMembersReadyAndRolledOutIsRunningAtTheSpecVersion() {
    var status = ClusterStatusCalculator.observed(cluster("main", 3), Optional.of(statefulSet(3, 3, true)), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Running);
    assertThat(status.getReady()).isEqualTo("3/3");
    assertThat(status.getReadyMembers()).isEqualTo(3);
    assertThat(status.getVersion()).isEqualTo("3.6.16");
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("True/AllMembersReady");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/Reconciled");
  }

  @Test
  void theVersionIsReportedOnlyOnceEveryMemberRunsIt() {
    EtcdCluster cluster = cluster("main", 3);
    var status = ClusterStatusCalculator.observed(cluster, Optional.of(statefulSet(3, 3, false)), NOW);

    assertThat(status.getVersion()).isNull();
    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
  }

  @Test
  void aFormedClusterLosingMembersIsDegradedAndSaysWhetherQuorumIsAtRisk() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.setStatus(ClusterStatusCalculator.observed(cluster, Optional.of(statefulSet(3, 3, true)), NOW));

    var oneDown = ClusterStatusCalculator.observed(cluster, Optional.of(statefulSet(3, 2, true)), NOW);
    assertThat(oneDown.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(oneDown, Conditions.DEGRADED)).isEqualTo("True/MembersUnavailable");

    var twoDown = ClusterStatusCalculator.observed(cluster, Optional.of(statefulSet(3, 1, true)), NOW);
    assertThat(condition(twoDown, Conditions.DEGRADED)).isEqualTo("True/QuorumAtRisk");
    assertThat(twoDown.getVersion()).isEqualTo("3.6.16");
  }

  @Test
  void aFormingClusterIsProgressingNotDegraded() {
    var status = ClusterStatusCalculator.observed(cluster("main", 3), Optional.of(statefulSet(3, 2, true)), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("True/WaitingForMembers");
    assertThat(condition(status, Conditions.DEGRADED)).isEqualTo("False/AsExpected");
  }

  @Test
  void aClusterLeftAloneKeepsWhatWasObservedAndSaysWhy() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.setStatus(ClusterStatusCalculator.observed(cluster, Optional.of(statefulSet(3, 3, true)), NOW));
    cluster.getMetadata().setGeneration(2L);

    var status = ClusterStatusCalculator.notActedOn(cluster, Phase.Paused, "Paused", "spec.paused is true", NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Paused);
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getReady()).isEqualTo("3/3");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/Paused");
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("True/AllMembersReady");
  }
}
