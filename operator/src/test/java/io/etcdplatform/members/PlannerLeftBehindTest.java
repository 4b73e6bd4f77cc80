package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.Wait;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A member is never added under the name of a removed one while the removed member's pod or claim
 * is left: etcd on that data is the removed member ("the member has been permanently removed from
 * the cluster", exit 1, for good). Found end to end: 5 -> 3 -> 5 with a removed pod still
 * Terminating, the StatefulSet kept its claim and the re-added learner crash-looped.
 */
class PlannerLeftBehindTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration LEARNER_START = Duration.ofMinutes(2);
  private final Planner planner = new Planner(new PlannerSettings(Duration.ofMinutes(5), LEARNER_START, 100));

  @Test
  void aScaleUpWaitsWhileTheRemovedMembersPodIsStillTerminating() {
    var observation = threeVoters(List.of(pod(3, true)), Set.of(0, 1, 2, 3));

    Step step = planner.next(5, observation, i -> "m-" + i);

    assertThat(step).isInstanceOf(Wait.class);
    assertThat(step.reason()).startsWith("adding m-3 waits until the pod and the PersistentVolumeClaim");
  }

  @Test
  void aScaleUpWaitsWhileOnlyTheRemovedMembersClaimIsLeft() {
    var observation = threeVoters(List.of(), Set.of(0, 1, 2, 3));

    assertThat(planner.next(5, observation, i -> "m-" + i)).isInstanceOf(Wait.class);
  }

  @Test
  void aScaleUpAddsTheMemberOnceItsPodAndClaimAreGone() {
    var observation = threeVoters(List.of(), Set.of(0, 1, 2));

    assertThat(planner.next(5, observation, i -> "m-" + i)).isEqualTo(new AddLearner("m-3", 3));
  }

  @Test
  void aReplacedMemberBelowTheHighestIsAddedOnItsNewPodAndClaim() {
    List<EtcdMemberState> members = new ArrayList<>(voters(3));
    members.remove(1);
    List<PodState> pods = new ArrayList<>(IntStream.range(0, 3).mapToObj(i -> pod(i, false)).toList());
    var observation = new ClusterObservation(true, 1, members, 1, pods, NOW, Set.of(0, 1, 2));

    assertThat(planner.next(3, observation, i -> "m-" + i)).isEqualTo(new AddLearner("m-1", 1));
  }

  @Test
  void aLearnerThatNeverStartedIsRemovedWithItsData() {
    List<EtcdMemberState> members = new ArrayList<>(voters(3));
    members.add(new EtcdMemberState(9, "m-3", 3, false, true, false, 0, NOW.minus(LEARNER_START).minusSeconds(1),
        null));
    var observation = new ClusterObservation(true, 1, members, 1,
        IntStream.range(0, 4).mapToObj(i -> pod(i, false)).toList(), NOW, Set.of(0, 1, 2, 3));

    Step step = planner.next(4, observation, i -> "m-" + i);

    assertThat(step).isInstanceOf(ReplaceMember.class);
    assertThat(((ReplaceMember) step).name()).isEqualTo("m-3");
  }

  private static ClusterObservation threeVoters(List<PodState> extraPods, Set<Integer> claims) {
    List<PodState> pods = new ArrayList<>(IntStream.range(0, 3).mapToObj(i -> pod(i, false)).toList());
    pods.addAll(extraPods);
    return new ClusterObservation(true, 1, voters(3), 1, pods, NOW, claims);
  }

  private static List<EtcdMemberState> voters(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new EtcdMemberState(i + 1, "m-" + i, i, true, false, true, 1000, null, null)).toList();
  }

  private static PodState pod(int ordinal, boolean terminating) {
    return new PodState("m-" + ordinal, ordinal, !terminating, true, NOW.minusSeconds(600), null, terminating);
  }
}
