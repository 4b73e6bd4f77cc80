package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.Wait;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A scale-up right after a scale-down (5 -> 3 -> 5, as in EvictionEndToEndTest): the member added
 * under a removed member's name must not start on that member's data. The StatefulSet gives a pod
 * re-created under the name the claim that is still there (the garbage collector deletes it only
 * some time after the pod is gone), or keeps the old pod when it is grown again before it deleted
 * it; the learner then crash-looped on the removed member's data until its start timeout.
 */
class PlannerLeftoversTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final Planner planner = new Planner(new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(2), 100));

  @Test
  void noMemberIsAddedWhileThePodOfTheRemovedOneIsTerminating() {
    List<PodState> pods = pods(0, 1, 2);
    pods.add(new PodState("m-3", 3, false, true, NOW.minusSeconds(60), NOW, true));

    assertThat(planner.next(5, observation(pods, Set.of(), 0, 1, 2), i -> "m-" + i)).isInstanceOf(Wait.class)
        .extracting(Step::reason).asString().contains("m-3");
  }

  @Test
  void noMemberIsAddedWhileTheRemovedOnesPodBeyondTheHighestMemberIsStillThere() {
    List<PodState> pods = pods(0, 1, 2, 3);

    assertThat(planner.next(5, observation(pods, Set.of(), 0, 1, 2), i -> "m-" + i)).isInstanceOf(Wait.class);
  }

  @Test
  void noMemberIsAddedWhileTheRemovedOnesClaimIsGoingAway() {
    assertThat(planner.next(5, observation(pods(0, 1, 2), Set.of("m-3"), 0, 1, 2), i -> "m-" + i))
        .isInstanceOf(Wait.class);
  }

  @Test
  void onceTheLeftoversAreGoneTheMemberIsAdded() {
    assertThat(planner.next(5, observation(pods(0, 1, 2), Set.of("m-4"), 0, 1, 2), i -> "m-" + i))
        .isEqualTo(new AddLearner("m-3", 3));
  }

  /** A replaced member below the highest: the StatefulSet re-created its pod on a new claim before it is added. */
  @Test
  void aReplacedMembersNewPodBelowTheHighestMemberDoesNotHoldItsAdditionBack() {
    assertThat(planner.next(3, observation(pods(0, 1, 2), Set.of(), 0, 2), i -> "m-" + i))
        .isEqualTo(new AddLearner("m-1", 1));
  }

  private static List<PodState> pods(int... ordinals) {
    List<PodState> pods = new ArrayList<>();
    for (int i : ordinals) {
      pods.add(new PodState("m-" + i, i, true, true, NOW.minusSeconds(3600), null));
    }
    return pods;
  }

  private static ClusterObservation observation(List<PodState> pods, Set<String> dataBeingDeleted, int... voters) {
    List<EtcdMemberState> members = new ArrayList<>();
    for (int i : voters) {
      members.add(new EtcdMemberState(100 + i, "m-" + i, i, true, false, true, 1000, null, null));
    }
    return new ClusterObservation(true, 1, members, 100 + voters[0], pods, NOW).withDataBeingDeleted(dataBeingDeleted);
  }
}
