package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.MoveLeader;
import io.etcdplatform.members.Step.QuorumLost;
import io.etcdplatform.members.Step.RemoveMember;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.RestartMember;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's safety rules over every small cluster: 1-7 voters, every healthy subset, the
 * leader on any healthy voter, no learner or one (in sync or not), every spec size 1-7, no
 * restart due or one due on every member, failures young and old.
 */
class PlannerPropertiesTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100);
  private final Planner planner = new Planner(SETTINGS);

  @Test
  void everyPlannedStepKeepsAQuorumOfHealthyVoters() {
    int checked = 0;
    for (int voters = 1; voters <= 7; voters++) {
      for (int healthyMask = 0; healthyMask < (1 << voters); healthyMask++) {
        for (int leader = -1; leader < voters; leader++) {
          if (leader >= 0 && (healthyMask & (1 << leader)) == 0) {
            continue; // an unhealthy member is never reported as the leader
          }
          for (LearnerCase learner : LearnerCase.values()) {
            for (boolean outdated : new boolean[] {false, true}) {
              for (boolean longFailed : new boolean[] {false, true}) {
                for (int desired = 1; desired <= 7; desired++) {
                  ClusterObservation observation =
                      observation(voters, healthyMask, leader, learner, outdated, longFailed);
                  Step step = planner.next(desired, observation, i -> "m-" + i);
                  assertSafe(desired, observation, step);
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(80_000);
  }

  static void assertSafe(int desired, ClusterObservation observation, Step step) {
    List<EtcdMemberState> voters = observation.voters();
    long healthy = voters.stream().filter(EtcdMemberState::healthy).count();
    String context = step + " for " + observation + " desired " + desired;

    if (healthy < ClusterObservation.quorum(voters.size())) {
      assertThat(step).as(context).isInstanceOf(QuorumLost.class);
      return;
    }
    assertThat(step).as(context).isNotInstanceOf(QuorumLost.class);
    if (step instanceof AddLearner add) {
      assertThat(observation.learners()).as(context).isEmpty();
      assertThat(observation.member(add.ordinal())).as(context).isEmpty();
    } else if (step instanceof RemoveMember remove) {
      EtcdMemberState target = find(observation, remove.id());
      if (target.voter()) {
        assertThat(voters).as(context).allMatch(EtcdMemberState::healthy);
        assertThat(target.id()).as("never remove the leader: " + context).isNotEqualTo(observation.leaderId());
        assertThat(target.ordinal()).as("scale-down takes the highest ordinal: " + context)
            .isEqualTo(voters.stream().mapToInt(EtcdMemberState::ordinal).max().orElseThrow());
        assertThat(voters.size()).as(context).isGreaterThan(desired);
      }
    } else if (step instanceof ReplaceMember replace) {
      assertThat(find(observation, replace.id()).healthy()).as(context).isFalse();
      // the healthy voters keep a quorum of the voters that remain
      assertThat(healthy).as(context).isGreaterThanOrEqualTo(ClusterObservation.quorum(voters.size() - 1));
    } else if (step instanceof RestartMember restart) {
      assertThat(voters).as(context).allMatch(EtcdMemberState::healthy);
      EtcdMemberState target = voters.stream().filter(m -> m.name().equals(restart.name())).findFirst().orElseThrow();
      if (voters.size() > 1) {
        assertThat(target.id()).as("the leader restarts last, after moving leadership: " + context)
            .isNotEqualTo(observation.leaderId());
        assertThat(healthy - 1).as(context).isGreaterThanOrEqualTo(ClusterObservation.quorum(voters.size()));
      }
    } else if (step instanceof MoveLeader move) {
      assertThat(voters).as(context).allMatch(EtcdMemberState::healthy);
      assertThat(move.toId()).as(context).isNotEqualTo(observation.leaderId());
    }
    // Wait, Blocked, Steady, PromoteLearner and Bootstrap change no voter's availability
    boolean removesALearner = step instanceof RemoveMember r && find(observation, r.id()).learner();
    if (step instanceof Step.Disruptive && !(step instanceof ReplaceMember) && !removesALearner) {
      assertThat(voters).as("one disruption at a time: " + context).allMatch(EtcdMemberState::healthy);
      // issue 13, defect 9: with no observed leader nobody is caught up, so nothing is disrupted
      assertThat(observation.leader()).as("no disruption without an observed leader: " + context).isPresent();
    }
  }

  private static EtcdMemberState find(ClusterObservation observation, long id) {
    return observation.members().stream().filter(m -> m.id() == id).findFirst().orElseThrow();
  }

  enum LearnerCase { NONE, IN_SYNC, STARTING }

  private static ClusterObservation observation(int voters, int healthyMask, int leader, LearnerCase learner,
      boolean outdated, boolean longFailed) {
    List<EtcdMemberState> members = new ArrayList<>();
    List<PodState> pods = new ArrayList<>();
    Instant failedAt = NOW.minus(longFailed ? Duration.ofMinutes(10) : Duration.ofSeconds(30));
    for (int i = 0; i < voters; i++) {
      boolean healthy = (healthyMask & (1 << i)) != 0;
      members.add(new EtcdMemberState(100 + i, "m-" + i, i, true, false, healthy, 1000, healthy ? null : failedAt, null));
      pods.add(new PodState("m-" + i, i, healthy, !outdated, NOW.minus(Duration.ofHours(1)), healthy ? null : failedAt));
    }
    if (learner != LearnerCase.NONE) {
      boolean inSync = learner == LearnerCase.IN_SYNC;
      members.add(new EtcdMemberState(100 + voters, "m-" + voters, voters, inSync, true, inSync, inSync ? 1000 : 0, null, null));
      pods.add(new PodState("m-" + voters, voters, inSync, true, NOW.minus(Duration.ofMinutes(10)), inSync ? null : NOW.minus(Duration.ofMinutes(10))));
    }
    return new ClusterObservation(true, 1, members, leader < 0 ? 0 : 100 + leader, pods, NOW);
  }
}
