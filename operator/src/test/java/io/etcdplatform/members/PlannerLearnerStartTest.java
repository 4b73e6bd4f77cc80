package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A learner that never started is replaced with its data, not only removed: added again on what it
 * wrote under its first ID, etcd would be the removed member ("the member has been permanently
 * removed from the cluster", exit 1) for good. The scale-up rule for what a removed member left is
 * {@link PlannerLeftoversTest}'s.
 */
class PlannerLearnerStartTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Duration LEARNER_START = Duration.ofMinutes(2);
  private final Planner planner = new Planner(new PlannerSettings(Duration.ofMinutes(5), LEARNER_START, 100));

  @Test
  void aLearnerThatNeverStartedIsRemovedWithItsData() {
    List<EtcdMemberState> members = new ArrayList<>(voters(3));
    members.add(new EtcdMemberState(9, "m-3", 3, false, true, false, 0, NOW.minus(LEARNER_START).minusSeconds(1),
        null));
    var observation = new ClusterObservation(true, 1, members, 1,
        IntStream.range(0, 4).mapToObj(i -> pod(i, false)).toList(), NOW);

    Step step = planner.next(4, observation, i -> "m-" + i);

    assertThat(step).isInstanceOf(ReplaceMember.class);
    assertThat(((ReplaceMember) step).name()).isEqualTo("m-3");
  }

  private static List<EtcdMemberState> voters(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new EtcdMemberState(i + 1, "m-" + i, i, true, false, true, 1000, null, null)).toList();
  }

  private static PodState pod(int ordinal, boolean terminating) {
    return new PodState("m-" + ordinal, ordinal, !terminating, true, NOW.minusSeconds(600), null, terminating);
  }
}
