package io.etcdplatform.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.maintenance.MaintenancePlanner.Input;
import io.etcdplatform.maintenance.MaintenanceStep.Compact;
import io.etcdplatform.maintenance.MaintenanceStep.Defragment;
import io.etcdplatform.maintenance.MaintenanceStep.DisarmNoSpace;
import io.etcdplatform.maintenance.MaintenanceStep.MoveLeader;
import io.etcdplatform.members.AdversarialObservations.Answer;
import io.etcdplatform.members.AdversarialObservations.Case;
import io.etcdplatform.members.AdversarialObservations.Fact;
import io.etcdplatform.members.AdversarialObservations.Pod;
import io.etcdplatform.members.AdversarialObservations;
import io.etcdplatform.members.Planner;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.members.Step;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Maintenance under observations that lie the way real ones do ({@link AdversarialObservations}),
 * with NOSPACE and CORRUPT alarms raised on any member, members held out of the client endpoints,
 * another disruption under way, an annotation asking for a round: planned only where the membership
 * planner says Steady, as in a pass. Nothing is done with a CORRUPT alarm anywhere; a member is
 * defragmented only while it does not lead (or is the only voter), every other member answered as
 * itself, healthy, with its pod staying, no member held out of the client endpoints, and no other
 * disruption is under way; leadership moves only to a member that answered as itself; NOSPACE is
 * disarmed only where it was raised.
 */
class MaintenanceAdversarialTest {

  private static final int CASES = 100_000;
  private static final long QUOTA = 2L << 30;
  private final Planner membership = new Planner(new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100));
  private final MaintenancePlanner planner = new MaintenancePlanner(100);

  @Test
  void noGeneratedObservationAndAlarmsLeadToAnUnsafeMaintenanceStep() {
    Random random = new Random(20261203);
    Map<String, Integer> steps = new HashMap<>();
    for (int i = 0; i < CASES; i++) {
      Case generated = AdversarialObservations.generate(random);
      ClusterObservation observation = heldOutAtRandom(generated.observation(), random);
      int voters = observation.voters().size();
      if (!(membership.next(voters, observation, o -> "m-" + o) instanceof Step.Steady)) {
        continue;
      }
      List<Alarm> alarms = alarms(observation, random);
      Optional<String> otherDisruption = random.nextInt(6) == 0 ? Optional.of("EtcdBackup b streams") : Optional.empty();
      MaintenanceStep step = planner.next(new Input(compaction(random), defragmentation(random), false, QUOTA,
          observation, alarms, status(observation, random), random.nextBoolean() ? "2026-12-02T11:00" : null,
          AdversarialObservations.NOW, otherDisruption)).step();
      assertSafe(generated, observation, alarms, otherDisruption, step);
      steps.merge(step.getClass().getSimpleName(), 1, Integer::sum);
    }
    assertThat(steps.keySet()).as("every kind of step reached").contains("Defragment", "MoveLeader", "Compact",
        "DisarmNoSpace", "Waiting", "Idle");
  }

  private static void assertSafe(Case generated, ClusterObservation observation, List<Alarm> alarms,
      Optional<String> otherDisruption, MaintenanceStep step) {
    String context = step + " for " + generated.facts() + " alarms " + alarms + " pods " + observation.pods();
    if (alarms.stream().anyMatch(a -> a.kind() == Alarm.Kind.CORRUPT)) {
      assertThat(step).as("nothing is done with a CORRUPT alarm: " + context).isNotInstanceOf(MaintenanceStep.Action.class);
    }
    if (step instanceof Defragment defragment) {
      assertThat(otherDisruption).as("one disruption at a time: " + context).isEmpty();
      EtcdMemberState member = observation.members().stream().filter(m -> m.name().equals(defragment.member()))
          .findFirst().orElseThrow();
      assertThat(member.id() != observation.leaderId() || observation.voters().size() < 2)
          .as("the leader is never defragmented while it leads: " + context).isTrue();
      assertThat(generated.facts()).as("every member answered as itself, its pod staying: " + context)
          .filteredOn(Fact::listed)
          .allMatch(f -> f.answer() == Answer.OWN_WITH_LEADER && f.pod() != Pod.TERMINATING && f.pod() != Pod.MISSING);
      assertThat(observation.pods()).as("no member held out of the client endpoints: " + context)
          .filteredOn(pod -> observation.member(pod.ordinal()).isPresent())
          .allMatch(PodState::inClientEndpoints);
    }
    if (step instanceof MoveLeader move) {
      assertThat(generated.factOf(move.toId()).answer()).as("leadership only to a member that answered: " + context)
          .isEqualTo(Answer.OWN_WITH_LEADER);
      assertThat(generated.factOf(move.toId()).pod()).as("never to a member whose pod goes: " + context)
          .isNotIn(Pod.TERMINATING, Pod.MISSING);
    }
    if (step instanceof DisarmNoSpace disarm) {
      assertThat(disarm.members()).as("disarmed only where raised: " + context)
          .allMatch(m -> alarms.contains(new Alarm(m, Alarm.Kind.NOSPACE)));
    }
    if (step instanceof Compact compact) {
      assertThat(compact.revision()).as("never beyond the leader's revision: " + context)
          .isLessThanOrEqualTo(observation.leader().orElseThrow().stats().revision());
    }
  }

  private static ClusterObservation heldOutAtRandom(ClusterObservation observation, Random random) {
    List<PodState> pods = new ArrayList<>();
    for (PodState pod : observation.pods()) {
      boolean in = random.nextInt(10) != 0;
      pods.add(new PodState(pod.name(), pod.ordinal(), pod.ready(), pod.upToDate(), pod.createdAt(),
          pod.notReadySince(), pod.terminating(), pod.lostNode(), in));
    }
    return new ClusterObservation(observation.formedBefore(), observation.clusterId(), observation.members(),
        observation.leaderId(), pods, observation.now());
  }

  private static List<Alarm> alarms(ClusterObservation observation, Random random) {
    List<Alarm> alarms = new ArrayList<>();
    for (EtcdMemberState member : observation.members()) {
      switch (random.nextInt(12)) {
        case 0 -> alarms.add(new Alarm(member.name(), Alarm.Kind.NOSPACE));
        case 1 -> alarms.add(new Alarm(member.name(), Alarm.Kind.CORRUPT));
        default -> { }
      }
    }
    return alarms;
  }

  /** Empty, or a NOSPACE round that has compacted and defragmented some or all members. */
  private static MaintenanceStatus status(ClusterObservation observation, Random random) {
    MaintenanceStatus status = new MaintenanceStatus();
    if (random.nextBoolean()) {
      return status;
    }
    Instant started = AdversarialObservations.NOW.minusSeconds(600);
    status.setRound(new MaintenanceStatus.Round(MaintenancePlanner.ROUND_NOSPACE, started.toString()));
    status.setLastCompaction(new MaintenanceStatus.Compaction(42L, started.plusSeconds(60).toString()));
    List<MaintenanceStatus.Defragmentation> done = new ArrayList<>();
    for (EtcdMemberState member : observation.members()) {
      if (random.nextInt(4) != 0) {
        done.add(new MaintenanceStatus.Defragmentation(member.name(), started.plusSeconds(120).toString(), 1L, 1L, 1L));
      }
    }
    status.setDefragmentations(done);
    return status;
  }

  private static CompactionSpec compaction(Random random) {
    CompactionSpec spec = new CompactionSpec();
    spec.setEnabled(random.nextBoolean());
    return spec;
  }

  private static DefragmentationSpec defragmentation(Random random) {
    DefragmentationSpec spec = new DefragmentationSpec();
    spec.setEnabled(random.nextBoolean());
    return spec;
  }
}
