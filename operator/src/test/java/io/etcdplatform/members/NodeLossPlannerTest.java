package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.MemberObserver;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 4 and the node-loss item: a member whose pod is on a lost Node (no kubelet will
 * ever stop or delete that pod). Members' health goes through the observer's own rule, so a case
 * here is a pass's view: which members answer, which pods are Terminating, which Nodes are lost.
 */
class NodeLossPlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final Planner PLANNER = new Planner(new PlannerSettings(GRACE, Duration.ofMinutes(5), 1000));
  private static final long LEADER = 100;

  /** One pass's view of a three-member cluster, built member by member. */
  private static final class View {
    private final List<PodState> pods = new ArrayList<>();
    private final Map<Integer, Boolean> answers = new HashMap<>();
    private final Map<Long, Instant> unhealthySince = new HashMap<>();
    private final List<Integer> listed = new ArrayList<>(List.of(0, 1, 2));

    View() {
      for (int i = 0; i < 3; i++) {
        member(i, true, false, null);
      }
    }

    /** Replaces member i: whether it answers, whether its pod is Terminating, the lost node it is on. */
    View member(int i, boolean answers, boolean terminating, String lostNode) {
      pods.removeIf(p -> p.ordinal() == i);
      boolean ready = answers && !terminating;
      pods.add(new PodState("c-" + i, i, ready, true, NOW.minus(Duration.ofHours(2)),
          ready ? null : NOW.minus(Duration.ofMinutes(1)), terminating, lostNode));
      this.answers.put(i, answers);
      return this;
    }

    View unhealthyFor(int i, Duration down) {
      unhealthySince.put(100L + i, NOW.minus(down));
      return this;
    }

    View notListed(int i) {
      listed.remove(Integer.valueOf(i));
      return this;
    }

    ClusterObservation observation() {
      var known = MemberObserver.Known.pods(pods, unhealthySince, NOW);
      List<EtcdMemberState> members = listed.stream()
          .map(i -> MemberObserver.state(listed(i), "c-" + i, i, answers.get(i) ? answer(i) : null, known))
          .toList();
      return new ClusterObservation(true, 1, members, LEADER, pods, NOW);
    }

    Step next() {
      return PLANNER.next(3, observation(), i -> "c-" + i);
    }
  }

  private static Member listed(int i) {
    return new Member(io.etcd.jetcd.api.Member.newBuilder().setID(100 + i).setName("c-" + i)
        .addPeerURLs("http://c-" + i + ":2380").addClientURLs("http://c-" + i + ":2379").build());
  }

  private static StatusResponse answer(int i) {
    return new StatusResponse(io.etcd.jetcd.api.StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(100 + i).build())
        .setLeader(LEADER).setRaftIndex(1000).build());
  }

  @Test
  void aSilentMemberOnALostNodeIsReplacedAfterTheGracePeriodRemovedFromEtcdBeforeItsPodGoes() {
    Step step = new View().member(1, false, true, "node-b").unhealthyFor(1, GRACE.plusSeconds(1)).next();

    assertThat(step).isEqualTo(new Step.ReplaceLostMember("c-1", 101, "node-b", "after 301s unhealthy"));
    assertThat(step.reason()).contains("node-b is lost");
  }

  @Test
  void theLeaderOnALostNodeIsReplacedTheSameWay() {
    Step step = new View().member(0, false, true, "node-a").unhealthyFor(0, GRACE.plusSeconds(1)).next();

    assertThat(step).isInstanceOf(Step.ReplaceLostMember.class);
    assertThat(((Step.ReplaceLostMember) step).name()).isEqualTo("c-0");
  }

  @Test
  void aSilentMemberOnALostNodeWaitsForTheGracePeriod() {
    Step step = new View().member(1, false, true, "node-b").unhealthyFor(1, GRACE.minusSeconds(1)).next();

    assertThat(step).isInstanceOf(Step.Wait.class);
  }

  /**
   * A Node whose kubelet stopped reporting may still run its processes (a crashed kubelet, a
   * partition between it and the API server only): etcd's own answer is the better witness. A voter
   * that answers with a leader is healthy and is not replaced, which would trade a working copy of
   * the data for a window with one copy fewer.
   */
  @Test
  void aMemberThatAnswersOnALostNodeIsHealthyAndNotReplaced() {
    Step step = new View().member(1, true, false, "node-b").unhealthyFor(1, Duration.ofHours(1)).next();

    assertThat(step).isInstanceOf(Step.Steady.class);
  }

  /**
   * Once Kubernetes evicted it (taint-based eviction: Terminating), the pod is going away whatever
   * etcd says (main's rule, defect 4): counted failed, and replaced after the grace period, safely,
   * the removal first.
   */
  @Test
  void aMemberThatAnswersButWhosePodWasEvictedFromALostNodeIsReplacedAfterTheGracePeriod() {
    View view = new View().member(1, true, true, "node-b");
    assertThat(view.next()).isInstanceOf(Step.Wait.class);

    assertThat(view.unhealthyFor(1, GRACE.plusSeconds(1)).next()).isInstanceOf(Step.ReplaceLostMember.class);
  }

  @Test
  void aSilentMemberOnANodeThatIsNotLostIsReplacedTheUsualWayDataFirst() {
    Step step = new View().member(1, false, false, null).unhealthyFor(1, GRACE.plusSeconds(1)).next();

    assertThat(step).isEqualTo(new Step.ReplaceMember("c-1", 101, "after 301s unhealthy"));
  }

  @Test
  void twoMembersOnLostNodesOfThreeIsALostQuorumAndNothingIsReplaced() {
    Step step = new View().member(1, false, true, "node-b").unhealthyFor(1, Duration.ofHours(1))
        .member(2, false, true, "node-c").unhealthyFor(2, Duration.ofHours(1)).next();

    assertThat(step).isInstanceOf(Step.QuorumLost.class);
  }

  /** The removal went through, the pass ended before the force-delete: the pod goes before a learner. */
  @Test
  void aPodWithoutAMemberOnALostNodeIsForceDeletedBeforeALearnerJoinsUnderItsName() {
    View view = new View().member(1, false, true, "node-b").notListed(1);

    assertThat(view.next()).isEqualTo(new Step.DeleteLeftoverPod("c-1", "node-b"));
  }

  @Test
  void withTheLeftoverPodGoneTheMemberIsAddedBackAsALearner() {
    View view = new View().notListed(1);
    view.pods.removeIf(p -> p.ordinal() == 1);

    assertThat(view.next()).isEqualTo(new Step.AddLearner("c-1", 1));
  }

  @Test
  void aReplacementOfALostMemberRemovesItFromEtcdBeforeItForceDeletesThePodAndClaim() {
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
    MemberAddresses addresses = new MemberAddresses() {
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
    var step = new Step.ReplaceLostMember("c-1", 101, "node-b", "after 301s unhealthy");
    ClusterObservation observation = new View().member(1, false, true, "node-b").observation();

    // etcd answers nobody: the removal fails, and nothing is deleted
    try (EtcdConnection nowhere = new EtcdConnection(List.of("http://127.0.0.1:1"), Duration.ofMillis(500))) {
      Step done = new MembershipCycle(PLANNER).act(step, observation, nowhere, addresses, pods);

      assertThat(done).isInstanceOf(Step.Wait.class);
      assertThat(calls).isEmpty();
    }
  }
}
