package io.etcdplatform.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Compaction;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Defragmentation;
import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.maintenance.MaintenancePlanner.Input;
import io.etcdplatform.maintenance.MaintenancePlanner.Plan;
import io.etcdplatform.maintenance.MaintenanceStep.Compact;
import io.etcdplatform.maintenance.MaintenanceStep.Defragment;
import io.etcdplatform.maintenance.MaintenanceStep.DisarmNoSpace;
import io.etcdplatform.maintenance.MaintenanceStep.Idle;
import io.etcdplatform.maintenance.MaintenanceStep.MoveLeader;
import io.etcdplatform.maintenance.MaintenanceStep.Waiting;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenancePlannerTest {

  private static final long MiB = 1024 * 1024;
  private static final long QUOTA = 2048 * MiB;
  private static final Instant NOW = Instant.parse("2026-11-27T03:30:00Z");
  private final MaintenancePlanner planner = new MaintenancePlanner(1000);

  /** Three members, a-0 leads; each with a db of {@code size} MiB of which {@code inUse} MiB in use. */
  private final List<EtcdMemberState> members = new ArrayList<>(List.of(
      member(0, 100, 90, true), member(1, 100, 90, true), member(2, 100, 90, true)));
  private CompactionSpec compaction = new CompactionSpec();
  private final DefragmentationSpec defragmentation = new DefragmentationSpec();
  private List<Alarm> alarms = List.of();
  private MaintenanceStatus status = new MaintenanceStatus();
  private String request;
  private Optional<String> otherDisruption = Optional.empty();
  private Instant now = NOW;
  private long leaderId = 1;
  private final List<PodState> pods = new ArrayList<>();

  @Test
  void aMemberUnderEveryThresholdIsNotDefragmented() {
    compaction.setEnabled(false);

    assertThat(plan().step()).isInstanceOf(Idle.class);
  }

  @Test
  void membersOverTheThresholdGoFollowersFirstAndTheLeaderLast() {
    compaction.setEnabled(false);
    fragment(0, 400, 100);
    fragment(1, 400, 100);
    fragment(2, 400, 100);

    List<String> order = new ArrayList<>();
    for (int pass = 0; pass < 4; pass++) {
      Plan plan = plan();
      if (plan.step() instanceof MoveLeader move) {
        order.add("lead " + move.from() + "->" + move.to());
        leaderId = move.toId();
        continue;
      }
      Defragment step = (Defragment) plan.step();
      order.add(step.member());
      fragment(ordinalOf(step.member()), 100, 100); // done: nothing left to reclaim
    }

    assertThat(order).containsExactly("a-2", "a-1", "lead a-0->a-1", "a-0");
    assertThat(plan().step()).isInstanceOf(Idle.class);
  }

  @Test
  void eachPartOfTheRuleSelectsAMemberAndTooLittleToReclaimNever() {
    DefragmentationSpec spec = new DefragmentationSpec();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 400, 150, true), spec, QUOTA)).as("62% free").isTrue();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 3000, 1900, true), spec, 8 * QUOTA)).as("1.1 GiB free")
        .isTrue();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 1700, 1650, true), spec, QUOTA)).as("83% of quota")
        .isTrue();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 30, 10, true), spec, QUOTA)).as("20 MiB, 66% free")
        .isTrue();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 20, 10, true), spec, QUOTA))
        .as("10 MiB free is not worth blocking a member for").isFalse();
    assertThat(MaintenancePlanner.needsDefragmentation(member(0, 1000, 700, true), spec, QUOTA)).as("30% free")
        .isFalse();
  }

  @Test
  void aClusterWithAnUnhealthyMemberIsNotDefragmentedAtAll() {
    compaction.setEnabled(false);
    fragment(2, 400, 100);
    members.set(1, member(1, 100, 90, false));

    Plan plan = plan();

    assertThat(plan.step()).isInstanceOf(Waiting.class);
    assertThat(plan.step().reason()).contains("a-2 needs defragmenting").contains("a-1 is not healthy");
  }

  @Test
  void aMemberFarBehindTheLeaderHoldsTheNextDefragmentationBack() {
    compaction.setEnabled(false);
    fragment(2, 400, 100);
    EtcdMemberState lagging = members.get(1);
    members.set(1, new EtcdMemberState(lagging.id(), lagging.name(), 1, true, false, true, 5000 - 2000, null,
        lagging.stats()));

    assertThat(plan().step().reason()).contains("a-1 is 2000 raft entries behind the leader");
  }

  @Test
  void aScheduleLimitsDefragmentationToItsWindow() {
    compaction.setEnabled(false);
    fragment(1, 400, 100);
    defragmentation.setSchedule("0 3 * * *");
    defragmentation.setWindowMinutes(60);

    now = Instant.parse("2026-11-27T03:59:00Z");
    assertThat(plan().step()).isInstanceOf(Defragment.class);
    now = Instant.parse("2026-11-27T04:01:00Z");
    assertThat(plan().step()).isInstanceOf(Waiting.class);
    assertThat(plan().step().reason()).contains("waiting for the window \"0 3 * * *\"");
  }

  @Test
  void timeRetentionCompactsToTheNewestCheckpointOlderThanTheWindow() {
    compaction.setRetainMinutes(60);
    compaction.setIntervalMinutes(5);
    defragmentation.setEnabled(false);
    long revision = 1000;
    List<Long> compactedTo = new ArrayList<>();
    for (int minute = 0; minute <= 80; minute += 5) {
      now = NOW.plus(Duration.ofMinutes(minute));
      setRevision(revision);
      Plan plan = plan();
      status = plan.status();
      if (plan.step() instanceof Compact compact) {
        compactedTo.add(compact.revision());
        status.setLastCompaction(new Compaction(compact.revision(), now.toString()));
      }
      revision += 100;
    }

    // revision 1000 was current at minute 0: compacted to at minute 60, then one checkpoint a step
    assertThat(compactedTo).startsWith(1000L, 1100L, 1200L).hasSize(5);
    assertThat(status.getRevisionCheckpoints()).hasSizeLessThanOrEqualTo(14);
  }

  @Test
  void revisionRetentionKeepsThatManyRevisions() {
    compaction.setRetainRevisions(500L);
    setRevision(10_000);

    assertThat(plan().step()).isEqualTo(new Compact(9_500, "history older than 500 revisions: compacting to revision 9500"));
  }

  @Test
  void etcdsOwnAutoCompactionTurnsTheOperatorsOff() {
    compaction.setRetainRevisions(500L);
    setRevision(10_000);

    Plan plan = planner.next(new Input(compaction, defragmentation, true, QUOTA, observation(), alarms, status, request,
        now, Optional.empty()));

    assertThat(plan.step()).isInstanceOf(Idle.class);
  }

  @Test
  void noSpaceIsRecoveredByCompactingDefragmentingEveryMemberAndDisarming() {
    alarms = List.of(new Alarm("a-0", Alarm.Kind.NOSPACE), new Alarm("a-1", Alarm.Kind.NOSPACE));
    setRevision(7_000);
    List<String> steps = new ArrayList<>();
    for (int pass = 0; pass < 7; pass++) {
      Plan plan = plan();
      status = plan.status();
      steps.add(plan.step().getClass().getSimpleName() + (plan.step() instanceof Defragment d ? " " + d.member() : ""));
      if (plan.step() instanceof MoveLeader move) {
        leaderId = move.toId();
      } else if (plan.step() instanceof Compact c) {
        status.setLastCompaction(new Compaction(c.revision(), now.toString()));
      } else if (plan.step() instanceof Defragment d) {
        done(d.member());
      } else if (plan.step() instanceof DisarmNoSpace) {
        alarms = List.of();
      }
      now = now.plusSeconds(10);
    }

    assertThat(steps).containsExactly("Compact", "Defragment a-2", "Defragment a-1", "MoveLeader", "Defragment a-0",
        "DisarmNoSpace", "Idle");
    assertThat(status.getRound()).isNull();
  }

  @Test
  void aCorruptAlarmStopsAllMaintenanceAndIsNeverDisarmed() {
    alarms = List.of(new Alarm("a-1", Alarm.Kind.CORRUPT), new Alarm("a-1", Alarm.Kind.NOSPACE));
    fragment(2, 400, 100);

    Plan plan = plan();

    assertThat(plan.step()).isInstanceOf(Waiting.class);
    assertThat(plan.step().reason()).contains("CORRUPT alarm on a-1").contains("never disarmed automatically");
    assertThat(plan.status().getAlarms()).containsExactly("CORRUPT on a-1", "NOSPACE on a-1");
  }

  @Test
  void aRequestDefragmentsEveryMemberOnceWhateverTheRuleAndIsRecorded() {
    compaction.setEnabled(false);
    defragmentation.setEnabled(false);
    request = "2026-11-27T03:00";
    List<String> order = new ArrayList<>();
    for (int pass = 0; pass < 5; pass++) {
      Plan plan = plan();
      status = plan.status();
      if (plan.step() instanceof Defragment d) {
        order.add(d.member());
        done(d.member());
      }
      if (plan.step() instanceof MoveLeader move) {
        leaderId = move.toId();
      }
      now = now.plusSeconds(10);
    }

    assertThat(order).containsExactly("a-2", "a-1", "a-0");
    assertThat(status.getDefragmentationRequest()).isEqualTo(request);
    assertThat(plan().step()).isInstanceOf(Idle.class);
  }

  /** Issue 14, defect 4: a defragmentation blocks behind a snapshot's read transaction and stalls its member. */
  @Test
  void noMemberIsDefragmentedWhileASnapshotIsTakenAndTheRoundGoesOnAfterwards() {
    request = "2026-11-27T03:00";
    otherDisruption = Optional.of("a snapshot is being taken from a-2 (EtcdBackup nightly)");

    Plan held = plan();
    status = held.status();
    otherDisruption = Optional.empty();

    assertThat(held.step()).isInstanceOf(Waiting.class);
    assertThat(held.step().reason()).contains("a-2 waits: a snapshot is being taken from a-2 (EtcdBackup nightly)");
    assertThat(plan().step()).isInstanceOfSatisfying(Defragment.class, d -> assertThat(d.member()).isEqualTo("a-2"));
  }

  @Test
  void theLeaderIsNeverDefragmentedWhileItLeadsLeadershipMovesToTheMostCaughtUpFollowerFirst() {
    compaction.setEnabled(false);
    request = "2026-11-27T03:00";
    raftIndex(1, 4990);
    raftIndex(2, 4999);
    List<String> steps = new ArrayList<>();
    for (int pass = 0; pass < 6; pass++) {
      Plan plan = plan();
      status = plan.status();
      if (plan.step() instanceof Defragment d) {
        assertThat(members.get(ordinalOf(d.member())).id()).as("%s defragmented while leading", d.member())
            .isNotEqualTo(leaderId);
        steps.add(d.member());
        done(d.member());
      } else if (plan.step() instanceof MoveLeader move) {
        steps.add("lead " + move.from() + "->" + move.to());
        assertThat(move.reason()).contains("a-0 leads: leadership moves to a-2 before it is defragmented");
        leaderId = move.toId();
      }
      now = now.plusSeconds(10);
    }

    assertThat(steps).containsExactly("a-2", "a-1", "lead a-0->a-2", "a-0");
  }

  @Test
  void theRuleDrivenDefragmentationOfTheLeaderMovesLeadershipFirstToo() {
    compaction.setEnabled(false);
    fragment(0, 400, 100);

    assertThat(plan().step()).isInstanceOfSatisfying(MoveLeader.class, m -> assertThat(m.from()).isEqualTo("a-0"));
    leaderId = 2;
    assertThat(plan().step()).isInstanceOfSatisfying(Defragment.class, d -> assertThat(d.member()).isEqualTo("a-0"));
  }

  @Test
  void aMemberIsHeldOutOfTheClientEndpointsWhenAnotherVoterServesAndTheOnlyMemberNever() {
    compaction.setEnabled(false);
    fragment(2, 400, 100);
    assertThat(plan().step()).isInstanceOfSatisfying(Defragment.class, d -> assertThat(d.holdOut()).isTrue());

    members.subList(1, 3).clear();
    fragment(0, 400, 100);
    Plan alone = plan();
    assertThat(alone.step()).as("the only member: nobody to move leadership to, nobody else to serve")
        .isInstanceOfSatisfying(Defragment.class, d -> {
          assertThat(d.member()).isEqualTo("a-0");
          assertThat(d.holdOut()).isFalse();
        });
  }

  @Test
  void noMemberIsDefragmentedWhileAnotherIsStillOutOfTheClientEndpoints() {
    compaction.setEnabled(false);
    request = "2026-11-27T03:00";
    for (int i = 0; i < 3; i++) {
      pods.add(pod(i, true, i != 2));
    }
    done("a-2");

    Plan plan = plan();

    assertThat(plan.step()).isInstanceOf(Waiting.class);
    assertThat(plan.step().reason()).contains("a-1 waits: a-2 is not yet back in the client endpoints");
  }

  private Plan plan() {
    return planner.next(new Input(compaction, defragmentation, false, QUOTA, observation(), alarms, status, request, now,
        otherDisruption));
  }

  private ClusterObservation observation() {
    return new ClusterObservation(true, 1, List.copyOf(members), leaderId, List.copyOf(pods), now);
  }

  private void raftIndex(int ordinal, long index) {
    EtcdMemberState m = members.get(ordinal);
    members.set(ordinal, new EtcdMemberState(m.id(), m.name(), m.ordinal(), true, false, m.healthy(), index, null,
        m.stats()));
  }

  static PodState pod(int ordinal, boolean ready, boolean inClientEndpoints) {
    return new PodState("a-" + ordinal, ordinal, ready, true, NOW.minusSeconds(3600), ready ? null : NOW, false,
        inClientEndpoints);
  }

  private void done(String member) {
    List<Defragmentation> all = new ArrayList<>(status.getDefragmentations() == null ? List.of()
        : status.getDefragmentations());
    all.removeIf(d -> d.getMember().equals(member));
    all.add(new Defragmentation(member, now.toString(), 1L, 1L, 1L));
    status.setDefragmentations(all);
  }

  private void fragment(int ordinal, long sizeMiB, long inUseMiB) {
    members.set(ordinal, member(ordinal, sizeMiB, inUseMiB, true));
  }

  private void setRevision(long revision) {
    members.replaceAll(m -> new EtcdMemberState(m.id(), m.name(), m.ordinal(), true, false, m.healthy(), m.raftIndex(),
        null, new MemberStats("3.6.16", m.stats().dbSize(), m.stats().dbSizeInUse(), revision, 2, m.raftIndex())));
  }

  private static int ordinalOf(String member) {
    return Integer.parseInt(member.substring(2));
  }

  private static EtcdMemberState member(int ordinal, long sizeMiB, long inUseMiB, boolean healthy) {
    return new EtcdMemberState(ordinal + 1, "a-" + ordinal, ordinal, true, false, healthy, 5000, null,
        new MemberStats("3.6.16", sizeMiB * MiB, inUseMiB * MiB, 100, 2, 5000));
  }
}
