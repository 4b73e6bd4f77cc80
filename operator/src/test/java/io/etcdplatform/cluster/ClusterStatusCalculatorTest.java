package io.etcdplatform.cluster;

import io.etcdplatform.kube.Conditions;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.LastBackup;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import io.etcdplatform.members.Step;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterStatusCalculatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** A cluster whose first {@code healthy} of {@code members} voters answer, member 0 leading. */
  private static ClusterObservation observed(int members, int healthy, String version) {
    List<EtcdMemberState> states = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      boolean up = i < healthy;
      states.add(new EtcdMemberState(0x10 + i, "main-" + i, i, true, false, up, 500, up ? null : NOW,
          up ? new MemberStats(version, 4096, 2048, 77, 2, 100) : null));
    }
    return new ClusterObservation(true, 0xabc, states, healthy > 0 ? 0x10 : 0, List.of(), NOW);
  }

  private static String condition(EtcdClusterStatus status, String type) {
    var c = Conditions.find(status.getConditions(), type);
    return c.getStatus() + "/" + c.getReason();
  }

  @Test
  void aClusterStillFormingIsPending() {
    var unreachable = new ClusterObservation(false, 0, List.of(), 0, List.of(), NOW);
    var status = ClusterStatusCalculator.observed(cluster("main", 3), unreachable, new Step.Bootstrap(3), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Pending);
    assertThat(status.getReady()).isEqualTo("0/3");
    assertThat(status.getClusterId()).isNull();
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("False/NoMemberAnswers");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("True/Bootstrap");
    assertThat(condition(status, Conditions.DEGRADED)).isEqualTo("False/AsExpected");
  }

  @Test
  void everyMemberHealthyAndNothingToDoIsRunning() {
    var status = ClusterStatusCalculator.observed(cluster("main", 3), observed(3, 3, "3.6.16"), new Step.Steady(), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Running);
    assertThat(status.getReady()).isEqualTo("3/3");
    assertThat(status.getClusterId()).isEqualTo("abc");
    assertThat(status.getLeader()).isEqualTo("main-0");
    assertThat(status.getVersion()).isEqualTo("3.6.16");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("True/AllMembersHealthy");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/Reconciled");
    assertThat(status.getMembers()).extracting(MemberStatus::getName, MemberStatus::getRole, MemberStatus::getId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("main-0", MemberStatus.Role.Leader, "10"),
            org.assertj.core.groups.Tuple.tuple("main-1", MemberStatus.Role.Follower, "11"),
            org.assertj.core.groups.Tuple.tuple("main-2", MemberStatus.Role.Follower, "12"));
    assertThat(status.getMembers().get(0).getDbSize()).isEqualTo(4096L);
    assertThat(status.getMembers().get(0).getRevision()).isEqualTo(77L);
  }

  @Test
  void aStepUnderWayIsProgressingWithItsReason() {
    var step = new Step.AddLearner("main-3", 3);
    var status = ClusterStatusCalculator.observed(cluster("main", 4), observed(3, 3, "3.6.16"), step, NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("True/AddLearner");
    assertThat(Conditions.find(status.getConditions(), Conditions.PROGRESSING).getMessage()).isEqualTo("adding main-3 as a learner");
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("False/MembersUnhealthy");
  }

  @Test
  void unhealthyMembersDegradeTheClusterAndSayWhetherQuorumIsAtRisk() {
    var oneOfFiveDown = ClusterStatusCalculator.observed(cluster("main", 5), observed(5, 4, "3.6.16"),
        new Step.Wait("waiting"), NOW);
    assertThat(oneOfFiveDown.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(oneOfFiveDown, Conditions.DEGRADED)).isEqualTo("True/MembersUnavailable");
    assertThat(oneOfFiveDown.getVersion()).as("not every member answers").isNull();

    var oneOfThreeDown = ClusterStatusCalculator.observed(cluster("main", 3), observed(3, 2, "3.6.16"),
        new Step.Wait("waiting"), NOW);
    assertThat(condition(oneOfThreeDown, Conditions.DEGRADED)).isEqualTo("True/QuorumAtRisk");
  }

  @Test
  void aLostQuorumIsDegradedAndStopsProgress() {
    var step = new Step.QuorumLost("1 of 3 voting members are healthy");
    var status = ClusterStatusCalculator.observed(cluster("main", 3), observed(3, 1, "3.6.16"), step, NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(status, Conditions.DEGRADED)).isEqualTo("True/QuorumLost");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/QuorumLost");
  }

  @Test
  void aClusterLeftAloneKeepsWhatWasObservedAndSaysWhy() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.setStatus(ClusterStatusCalculator.observed(cluster, observed(3, 3, "3.6.16"), new Step.Steady(), NOW));
    cluster.getMetadata().setGeneration(2L);

    var status = ClusterStatusCalculator.notActedOn(cluster, Phase.Paused, "Paused", "spec.paused is true", NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Paused);
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getReady()).isEqualTo("3/3");
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/Paused");
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("True/AllMembersHealthy");
  }

  /**
   * Issue 13, defect 5: scale 3 -> 2 with main-1 failed left its pod crash-looping without a
   * member while the status said Running.
   */
  @Test
  void aPodThatIsNoMemberMakesTheClusterDegraded() {
    List<EtcdMemberState> members = List.of(
        new EtcdMemberState(0x10, "main-0", 0, true, false, true, 500, null, new MemberStats("3.6.16", 1, 1, 7, 2, 1)),
        new EtcdMemberState(0x12, "main-2", 2, true, false, true, 500, null, new MemberStats("3.6.16", 1, 1, 7, 2, 1)));
    List<PodState> pods = List.of(pod("main-0", 0), pod("main-1", 1), pod("main-2", 2));
    var observation = new ClusterObservation(true, 0xabc, members, 0x10, pods, NOW);

    var status = ClusterStatusCalculator.observed(cluster("main", 2), observation, new Step.Steady(), NOW);

    assertThat(condition(status, Conditions.DEGRADED)).isEqualTo("True/PodsWithoutMember");
    assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED).getMessage()).startsWith("main-1 runs");
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    var joining = ClusterStatusCalculator.observed(cluster("main", 3), observation, new Step.AddLearner("main-1", 1),
        NOW);
    assertThat(condition(joining, Conditions.DEGRADED)).as("a pod being added as a member")
        .isEqualTo("False/AsExpected");
  }

  private static PodState pod(String name, int ordinal) {
    return new PodState(name, ordinal, true, true, NOW, null);
  }

  @Test
  void theStatusRecordsSinceWhenEachMemberIsUnhealthyAndTheNextPassReadsItBack() {
    var cluster = cluster("main", 3);
    var observation = observed(3, 2, "3.6.16");

    cluster.setStatus(ClusterStatusCalculator.observed(cluster, observation, new Step.Wait("x"), NOW));

    assertThat(cluster.getStatus().getMembers()).extracting(MemberStatus::getUnhealthySince)
        .containsExactly(null, null, NOW.toString());
    assertThat(io.etcdplatform.kube.ClusterHistory.unhealthySince(cluster)).containsExactly(Map.entry(0x12L, NOW));
  }

  @Test
  void aRestoreThatFailedIsRestoreFailedStillWhenTheKubeletRestartedIt() {
    var pods = List.of(RestoreFailuresTest.pod("main-0",
        new ContainerStateBuilder().withNewRunning().endRunning().build(),
        RestoreFailuresTest.exited(4, "restore failed: not enough space on the member's volume ... raise "
            + "spec.storage.size (8Gi) to at least 11Gi")));
    var unreachable = new ClusterObservation(false, 0, List.of(), 0, List.of(), NOW);
    var failure = RestoreFailures.of(pods).map(refusal -> new PassResult.RestoreFailure("backup nightly", refusal));

    var status = ClusterStatusCalculator.of(cluster("main", 3), new PassResult(unreachable, new Step.Bootstrap(3),
        failure, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty()), NOW);

    assertThat(status.getPhase()).isEqualTo(Phase.Pending);
    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/RestoreFailed");
    assertThat(Conditions.find(status.getConditions(), Conditions.PROGRESSING).getMessage())
        .startsWith("restoring backup nightly failed, nothing was restored: main-0: restore failed: not enough space")
        .contains("spec.storage.size");
  }

  @Test
  void anObjectTheApiServerRefusedStopsProgressWithTheApiServersMessage() {
    var refusal = new PassResult.ApplyFailure("Service \"main-client\" is invalid: metadata.name: must be no more "
        + "than 63 characters");
    var result = new PassResult(observed(3, 3, "3.6.16"), new Step.Steady(), Optional.empty(), Optional.of(refusal),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    var status = ClusterStatusCalculator.of(cluster("main", 3), result, NOW);

    assertThat(condition(status, Conditions.PROGRESSING)).isEqualTo("False/ApplyFailed");
    assertThat(Conditions.find(status.getConditions(), Conditions.PROGRESSING).getMessage())
        .isEqualTo("the API server refused an owned object, which stays as it was: Service \"main-client\" is "
            + "invalid: metadata.name: must be no more than 63 characters");
    assertThat(condition(status, Conditions.AVAILABLE)).isEqualTo("True/AllMembersHealthy");
  }

  @Test
  void theRevisionSpreadIsAmongTheMembersThatAnsweredAndTheLastBackupIsCarriedOver() {
    List<EtcdMemberState> states = List.of(
        new EtcdMemberState(0x10, "main-0", 0, true, false, true, 500, null, new MemberStats("3.6.16", 1, 1, 900, 2, 500)),
        new EtcdMemberState(0x11, "main-1", 1, true, false, true, 480, null, new MemberStats("3.6.16", 1, 1, 875, 2, 480)),
        new EtcdMemberState(0x12, "main-2", 2, true, false, false, 0, NOW, null));
    var observation = new ClusterObservation(true, 0xabc, states, 0x10, List.of(), NOW);
    var backup = new LastBackup("main-0100", "2026-01-01T01:00:00Z", "Passed");
    var result = new PassResult(observation, new Step.Steady(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(backup), Optional.empty(), Optional.empty());

    var status = ClusterStatusCalculator.of(cluster("main", 3), result, NOW);

    assertThat(status.getRevisionSpread()).as("the member that did not answer has no revision to compare").isEqualTo(25L);
    assertThat(status.getLastBackup().getName()).isEqualTo("main-0100");
    assertThat(ClusterStatusCalculator.copyOf(status).getRevisionSpread()).isEqualTo(25L);
    assertThat(ClusterStatusCalculator.copyOf(status).getLastBackup()).isSameAs(backup);
    var unreachable = new ClusterObservation(false, 0, List.of(), 0, List.of(), NOW);
    var cluster = cluster("main", 3);
    cluster.setStatus(status);
    assertThat(ClusterStatusCalculator.observed(cluster, unreachable, new Step.Steady(), NOW).getRevisionSpread())
        .as("the last spread stays while no member answers").isEqualTo(25L);
  }
}
