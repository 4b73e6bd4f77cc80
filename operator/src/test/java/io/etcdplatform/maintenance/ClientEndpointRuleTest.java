package io.etcdplatform.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientEndpointRuleTest {

  private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
  private static final long MAX_LAG = 1000;
  private final List<EtcdMemberState> members = new ArrayList<>(List.of(member(0, true, 5000), member(1, true, 5000),
      member(2, true, 5000)));
  private final List<PodState> pods = new ArrayList<>(List.of(pod(0, true, true), pod(1, true, true),
      pod(2, true, true)));

  @Test
  void aHeldOutMemberComesBackOnlyOnceHealthyCaughtUpAndReady() {
    pods.set(2, pod(2, true, false));
    members.set(2, member(2, false, 5000));
    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).as("unhealthy (still defragmenting)").isEmpty();

    members.set(2, member(2, true, 5000 - 2000));
    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).as("2000 entries behind").isEmpty();

    members.set(2, member(2, true, 4999));
    pods.set(2, pod(2, false, false));
    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).as("its pod not Ready").isEmpty();

    pods.set(2, pod(2, true, false));
    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).containsExactly("a-2");
    assertThat(ClientEndpointRule.heldOut(observation())).containsExactly("a-2");
  }

  /**
   * Crash safety: the operator held a-1 out and died before its defragmentation (or before the next
   * pass). Nothing but the pod's label remembers it; the next pass's observation alone gives it back,
   * and nothing is defragmented until then.
   */
  @Test
  void aMemberAKilledOperatorLeftOutOfTheEndpointsIsGivenBackByTheNextPassAndHoldsMaintenanceBack() {
    pods.set(1, pod(1, true, false));
    var planner = new MaintenancePlanner(MAX_LAG);
    var status = new MaintenanceStatus();
    var compaction = new CompactionSpec();
    compaction.setEnabled(false);
    var plan = planner.next(new MaintenancePlanner.Input(compaction, new DefragmentationSpec(), false, 0,
        observation(), List.of(), status, "2026-12-02T03:59", NOW, Optional.empty()));

    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).containsExactly("a-1");
    assertThat(plan.step()).isInstanceOf(MaintenanceStep.Waiting.class);
    assertThat(plan.step().reason()).contains("a-1 is not yet back in the client endpoints");
  }

  @Test
  void aPodMadeBeforeTheLabelExistedJoinsOnceHealthyAndATerminatingOneIsLeftAlone() {
    pods.set(0, pod(0, true, false));
    pods.set(1, new PodState("a-1", 1, true, true, NOW, null, true, false));

    assertThat(ClientEndpointRule.toGiveBack(observation(), MAX_LAG)).containsExactly("a-0");
  }

  @Test
  void withoutAnObservedLeaderNobodyIsCaughtUpSoNobodyComesBack() {
    pods.set(2, pod(2, true, false));

    assertThat(ClientEndpointRule.toGiveBack(new ClusterObservation(true, 1, members, 0, pods, NOW), MAX_LAG)).isEmpty();
  }

  @Test
  void oneOrTwoMembersFeelTheirDefragmentationThreeDoNot() {
    assertThat(ClientEndpointRule.felt(observation())).isEmpty();
    assertThat(ClientEndpointRule.holdsOut(observation())).isTrue();
    members.remove(2);
    assertThat(ClientEndpointRule.felt(observation())).hasValueSatisfying(w -> assertThat(w)
        .contains("two members a write needs both"));
    assertThat(ClientEndpointRule.holdsOut(observation())).as("the other serves reads").isTrue();
    members.remove(1);
    assertThat(ClientEndpointRule.felt(observation())).hasValueSatisfying(w -> assertThat(w)
        .contains("one member nothing else serves"));
    assertThat(ClientEndpointRule.holdsOut(observation())).isFalse();
  }

  private ClusterObservation observation() {
    return new ClusterObservation(true, 1, List.copyOf(members), 1, List.copyOf(pods), NOW);
  }

  private static EtcdMemberState member(int ordinal, boolean healthy, long raftIndex) {
    return new EtcdMemberState(ordinal + 1, "a-" + ordinal, ordinal, true, false, healthy, raftIndex, null,
        healthy ? new MemberStats("3.6.16", 100, 90, 100, 2, raftIndex) : null);
  }

  private static PodState pod(int ordinal, boolean ready, boolean inClientEndpoints) {
    return new PodState("a-" + ordinal, ordinal, ready, true, NOW.minusSeconds(3600), ready ? null : NOW, false,
        inClientEndpoints);
  }
}
