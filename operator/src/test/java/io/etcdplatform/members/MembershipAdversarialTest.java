package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Membership steps on observations and failures a truthful, instantaneous test would never produce. */
class MembershipAdversarialTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final PlannerSettings SETTINGS =
      new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100);

  private static final MemberAddresses ADDRESSES = new MemberAddresses() {
    public String cluster() {
      return "c";
    }

    public String peerUrl(String member) {
      return "http://127.0.0.1:1/" + member;
    }

    public String clientUrl(String member) {
      return "http://127.0.0.1:1";
    }
  };

  private static EtcdMemberState voter(int ordinal, boolean healthy) {
    return new EtcdMemberState(100 + ordinal, "c-" + ordinal, ordinal, true, false, healthy, 1000,
        healthy ? null : NOW.minus(Duration.ofHours(1)), null);
  }

  private static PodState pod(int ordinal, Instant createdAt) {
    return new PodState("c-" + ordinal, ordinal, true, true, createdAt, null);
  }

  /**
   * Issue 13, defect 3: the learner's start timeout counted from its pod's creation; a pod that had
   * waited (crash-looping) for its member timed every new learner out at once, forever.
   */
  @Test
  void aLearnersStartTimeoutCountsFromWhenItWasAddedNotFromItsPod() {
    Instant podLongAgo = NOW.minus(Duration.ofHours(1));
    var justAdded = new EtcdMemberState(103, "c-3", 3, false, true, false, 0, NOW.minus(Duration.ofSeconds(10)), null);
    var longAgo = new EtcdMemberState(103, "c-3", 3, false, true, false, 0, NOW.minus(Duration.ofMinutes(10)), null);
    List<PodState> pods = List.of(pod(0, podLongAgo), pod(1, podLongAgo), pod(2, podLongAgo), pod(3, podLongAgo));

    Step fresh = new Planner(SETTINGS).next(4, new ClusterObservation(true, 1,
        List.of(voter(0, true), voter(1, true), voter(2, true), justAdded), 100, pods, NOW), i -> "c-" + i);
    Step stale = new Planner(SETTINGS).next(4, new ClusterObservation(true, 1,
        List.of(voter(0, true), voter(1, true), voter(2, true), longAgo), 100, pods, NOW), i -> "c-" + i);

    assertThat(fresh).isInstanceOf(Step.Wait.class);
    assertThat(stale).as("removed with its data, added again empty").isInstanceOf(Step.ReplaceMember.class);
  }

  /**
   * Issue 13, defect 3: a replacement removed the member before deleting its data; a pass cut short
   * between the two left its pod running on the data of a removed member.
   */
  @Test
  void aReplacementDeletesTheDataBeforeItRemovesTheMember() {
    List<String> calls = new ArrayList<>();
    MemberPods pods = new MemberPods() {
      public void restart(String member) {
        calls.add("restart " + member);
      }

      public void restartOnlyMember(String member) {
        calls.add("restart only " + member);
      }

      public void deleteWithData(String member) {
        calls.add("delete with data " + member);
      }

      public void forceDeleteWithData(String member) {
        calls.add("force delete with data " + member);
      }
    };
    var observation = new ClusterObservation(true, 1, List.of(voter(0, true), voter(1, false), voter(2, true)), 100,
        List.of(), NOW);
    Step replace = new Step.ReplaceMember("c-1", 101, "after 3600s unhealthy");

    // etcd answers nobody here: the member removal fails after the data went
    try (EtcdConnection nowhere = new EtcdConnection(List.of("http://127.0.0.1:1"), Duration.ofMillis(500))) {
      Step done = new MembershipCycle(new Planner(SETTINGS)).act(replace, observation, nowhere, ADDRESSES, pods);

      assertThat(calls).containsExactly("delete with data c-1");
      assertThat(done).isInstanceOf(Step.Wait.class);
    }
  }

  /** Issue 13, defect 2: a disruption the budget refuses is a Wait with its reason, not an error. */
  @Test
  void aRestartTheDisruptionBudgetRefusesIsAWaitWithTheReason() {
    MemberPods refusing = new MemberPods() {
      public void restart(String member) {
        throw new DisruptionRefusedException("the PodDisruptionBudget c allows no eviction of " + member + " now");
      }

      public void restartOnlyMember(String member) {
        throw new AssertionError("a three-member cluster restarts through its budget");
      }

      public void deleteWithData(String member) {
        throw new AssertionError("not a replacement");
      }

      public void forceDeleteWithData(String member) {
        throw new AssertionError("not a replacement");
      }
    };
    var observation = new ClusterObservation(true, 1, List.of(voter(0, true), voter(1, true), voter(2, true)), 100,
        List.of(), NOW);

    try (EtcdConnection nowhere = new EtcdConnection(List.of("http://127.0.0.1:1"), Duration.ofMillis(500))) {
      Step done = new MembershipCycle(new Planner(SETTINGS)).act(new Step.RestartMember("c-2", "to apply the new "
          + "version"), observation, nowhere, ADDRESSES, refusing);

      assertThat(done).isInstanceOf(Step.Wait.class);
      assertThat(done.reason()).contains("allows no eviction of c-2");
    }
  }

  /**
   * A new cluster whose members answer before they have elected a leader is still forming, not a
   * cluster that lost its quorum (no QuorumLost condition or Warning Event for a cluster being born;
   * a real-etcd test once failed on that moment).
   */
  @Test
  void aClusterThatNeverFormedIsFormingNotQuorumLost() {
    var electing = List.of(voter(0, true), voter(1, false), voter(2, false));

    Step forming = new Planner(SETTINGS).next(3, new ClusterObservation(false, 1, electing, 100, List.of(), NOW),
        i -> "c-" + i);
    Step lost = new Planner(SETTINGS).next(3, new ClusterObservation(true, 1, electing, 100, List.of(), NOW),
        i -> "c-" + i);

    assertThat(forming).isInstanceOf(Step.Wait.class);
    assertThat(forming.reason()).startsWith("the cluster is forming");
    assertThat(lost).isInstanceOf(Step.QuorumLost.class);
  }
}
