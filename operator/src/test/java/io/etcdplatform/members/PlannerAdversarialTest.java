package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.AdversarialObservations.Answer;
import io.etcdplatform.members.AdversarialObservations.Case;
import io.etcdplatform.members.AdversarialObservations.Fact;
import io.etcdplatform.members.AdversarialObservations.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The planner under observations that lie the way real ones do (issue 13; {@link AdversarialObservations}),
 * planned: the planner's safety rules hold on every one, and against the facts: a member that is
 * going away or answered with another's identity is never the one kept or moved to.
 */
class PlannerAdversarialTest {

  private static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100);
  private static final int CASES = 100_000;
  private final Planner planner = new Planner(SETTINGS);

  @Test
  void noGeneratedObservationLeadsToAnUnsafeStep() {
    Random random = new Random(20261202);
    Map<String, Integer> steps = new HashMap<>();
    for (int i = 0; i < CASES; i++) {
      Case generated = AdversarialObservations.generate(random);
      var observation = generated.observation();
      int desired = 1 + random.nextInt(7);
      Step step = planner.next(desired, observation, o -> "m-" + o);
      PlannerPropertiesTest.assertSafe(desired, observation, step);
      assertTrueToTheFacts(generated, step);
      steps.merge(step.getClass().getSimpleName(), 1, Integer::sum);
    }
    // a pod that is not ready while its member answers as itself is healthy to etcd: the
    // disruption budget, not the planner, counts it as unavailable
    // the generator reaches every kind of step, so the properties were checked where they matter
    assertThat(steps.keySet()).contains("AddLearner", "PromoteLearner", "MoveLeader", "RemoveMember", "ReplaceMember",
        "RestartMember", "Wait", "QuorumLost", "Steady");
  }

  private static void assertTrueToTheFacts(Case generated, Step step) {
    var facts = generated.facts();
    String context = step + " for " + facts;
    if (step instanceof Step.MoveLeader move) {
      Fact to = generated.factOf(move.toId());
      assertThat(to.answer()).as("leadership only to a member that answered as itself: " + context)
          .isEqualTo(Answer.OWN_WITH_LEADER);
      assertThat(to.pod()).as("never to a member whose pod is going away: " + context)
          .isNotIn(Pod.TERMINATING, Pod.MISSING);
    }
    if (step instanceof Step.Disruptive && !(step instanceof Step.ReplaceMember)
        && !(step instanceof Step.RemoveMember r && generated.factOf(r.id()).learner())) {
      assertThat(facts).as("no voluntary disruption while a voter is going away or answers as another: " + context)
          .filteredOn(f -> f.listed() && !f.learner())
          .allMatch(f -> f.pod() != Pod.TERMINATING && f.pod() != Pod.MISSING && f.answer() == Answer.OWN_WITH_LEADER);
    }
    if (step instanceof Step.AddLearner) {
      assertThat(facts).as("one learner at a time, a crashed one too: " + context)
          .noneMatch(f -> f.listed() && f.learner());
    }
  }
}
