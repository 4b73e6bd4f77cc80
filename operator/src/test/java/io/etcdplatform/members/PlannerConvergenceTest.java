package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.Step.Blocked;
import io.etcdplatform.members.Step.QuorumLost;
import io.etcdplatform.members.Step.Steady;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Driving a model cluster with the planner reaches the spec, keeping a quorum all the way. */
class PlannerConvergenceTest {

  private static final int MAX_PASSES = 200;
  private final Planner planner = new Planner(new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100));

  static Stream<Arguments> resizes() {
    return IntStream.rangeClosed(1, 7).boxed()
        .flatMap(from -> IntStream.rangeClosed(1, 7).boxed()
            .flatMap(to -> Stream.of(Arguments.of(from, to, false), Arguments.of(from, to, true))));
  }

  @ParameterizedTest(name = "{0} -> {1} members, new template: {2}")
  @MethodSource("resizes")
  void reachesTheSpecWithoutEverLosingQuorum(int from, int to, boolean newTemplate) {
    ModelCluster cluster = new ModelCluster(from);
    if (newTemplate) {
      cluster.changeTemplate();
    }

    List<Step> steps = drive(cluster, to);

    Step last = steps.get(steps.size() - 1);
    if (newTemplate && to == 2) {
      assertThat(last).as("a two-member cluster cannot restart a member safely: %s", steps).isInstanceOf(Blocked.class);
      assertThat(cluster.voters()).isEqualTo(2);
      return;
    }
    assertThat(last).as("%s", steps).isInstanceOf(Steady.class);
    assertThat(cluster.voters()).isEqualTo(to);
    assertThat(cluster.healthyVoters()).isEqualTo(to);
    assertThat(cluster.observe().learners()).isEmpty();
    assertThat(cluster.observe().pods()).allMatch(PodState::upToDate);
  }

  @ParameterizedTest(name = "{0} members, member {1} fails")
  @MethodSource("failures")
  void replacesAFailedMemberAfterTheGracePeriod(int members, int failed) {
    ModelCluster cluster = new ModelCluster(members);
    cluster.fail(failed);

    List<Step> steps = drive(cluster, members);

    assertThat(steps).anyMatch(s -> s instanceof Step.ReplaceMember r && r.name().equals("m-" + failed));
    assertThat(steps.get(steps.size() - 1)).as("%s", steps).isInstanceOf(Steady.class);
    assertThat(cluster.healthyVoters()).isEqualTo(members);
  }

  static Stream<Arguments> failures() {
    return Stream.of(3, 4, 5, 7).flatMap(n -> IntStream.range(0, n).mapToObj(i -> Arguments.of(n, i)));
  }

  /** Plans and applies steps, a tick between passes, until the planner is done or gives up. */
  private List<Step> drive(ModelCluster cluster, int desired) {
    List<Step> steps = new ArrayList<>();
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Step step = planner.next(desired, cluster.observe(), i -> "m-" + i);
      steps.add(step);
      assertThat(step).as("%s", steps).isNotInstanceOf(QuorumLost.class);
      if (step instanceof Steady || step instanceof Blocked) {
        return steps;
      }
      cluster.apply(step);
      if (cluster.voters() > 1) {
        assertThat(cluster.healthyVoters()).as("quorum after %s", steps)
            .isGreaterThanOrEqualTo(ClusterObservation.quorum((int) cluster.voters()));
      }
      cluster.tick();
    }
    throw new AssertionError("no convergence within " + MAX_PASSES + " passes: " + steps.subList(steps.size() - 10, steps.size()));
  }
}
