package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The planner under observations that lie the way real ones do (issue 13): generated raw facts —
 * etcd's member list (stale: a removed member still listed, an added one not yet; ordinal gaps),
 * each member's status answer (none, its own with or without a leader, another member's from a
 * reused address), raft indexes that differ, pods ready, not ready, Terminating or missing,
 * learners never started or started and crashed — turned into an observation by the observer's
 * own rule, then planned. The planner's safety rules hold on every one, and against the facts: a
 * member that is going away or answered with another's identity is never the one kept or moved to.
 */
class PlannerAdversarialTest {

  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 100);
  private static final int CASES = 100_000;
  private final Planner planner = new Planner(SETTINGS);

  enum Answer { NONE, OWN_WITH_LEADER, OWN_WITHOUT_LEADER, ANOTHER_MEMBERS }

  enum Pod { READY, NOT_READY, TERMINATING, MISSING }

  /** One ordinal's facts. {@code listed}: etcd lists a member there (stale lists both ways). */
  record Fact(int ordinal, boolean listed, boolean learner, boolean started, Answer answer, long raftIndex, Pod pod,
      boolean upToDate, Duration unhealthyFor) {}

  @Test
  void noGeneratedObservationLeadsToAnUnsafeStep() {
    Random random = new Random(20261202);
    Map<String, Integer> steps = new HashMap<>();
    for (int i = 0; i < CASES; i++) {
      List<Fact> facts = facts(random);
      ClusterObservation observation = observe(facts, random);
      int desired = 1 + random.nextInt(7);
      Step step = planner.next(desired, observation, o -> "m-" + o);
      PlannerPropertiesTest.assertSafe(desired, observation, step);
      assertTrueToTheFacts(facts, observation, step);
      steps.merge(step.getClass().getSimpleName(), 1, Integer::sum);
    }
    // a pod that is not ready while its member answers as itself is healthy to etcd: the
    // disruption budget, not the planner, counts it as unavailable
    // the generator reaches every kind of step, so the properties were checked where they matter
    assertThat(steps.keySet()).contains("AddLearner", "PromoteLearner", "MoveLeader", "RemoveMember", "ReplaceMember",
        "RestartMember", "Wait", "QuorumLost", "Steady");
  }

  private static void assertTrueToTheFacts(List<Fact> facts, ClusterObservation observation, Step step) {
    String context = step + " for " + facts;
    if (step instanceof Step.MoveLeader move) {
      Fact to = factOf(facts, observation, move.toId());
      assertThat(to.answer()).as("leadership only to a member that answered as itself: " + context)
          .isEqualTo(Answer.OWN_WITH_LEADER);
      assertThat(to.pod()).as("never to a member whose pod is going away: " + context)
          .isNotIn(Pod.TERMINATING, Pod.MISSING);
    }
    if (step instanceof Step.Disruptive && !(step instanceof Step.ReplaceMember)
        && !(step instanceof Step.RemoveMember r && factOf(facts, observation, r.id()).learner())) {
      assertThat(facts).as("no voluntary disruption while a voter is going away or answers as another: " + context)
          .filteredOn(f -> f.listed() && !f.learner())
          .allMatch(f -> f.pod() != Pod.TERMINATING && f.pod() != Pod.MISSING && f.answer() == Answer.OWN_WITH_LEADER);
    }
    if (step instanceof Step.AddLearner) {
      assertThat(facts).as("one learner at a time, a crashed one too: " + context)
          .noneMatch(f -> f.listed() && f.learner());
    }
  }

  private static Fact factOf(List<Fact> facts, ClusterObservation observation, long id) {
    int ordinal = observation.members().stream().filter(m -> m.id() == id).findFirst().orElseThrow().ordinal();
    return facts.stream().filter(f -> f.ordinal() == ordinal).findFirst().orElseThrow();
  }

  private static List<Fact> facts(Random random) {
    List<Fact> facts = new ArrayList<>();
    int ordinals = 1 + random.nextInt(7);
    boolean learnerPlaced = false;
    for (int ordinal = 0; ordinal < ordinals; ordinal++) {
      boolean listed = random.nextInt(8) != 0; // an ordinal gap, or a pod whose member is not listed yet
      boolean learner = listed && !learnerPlaced && random.nextInt(6) == 0;
      learnerPlaced |= learner;
      boolean started = !learner || random.nextBoolean();
      Answer answer = !started ? Answer.NONE : pick(random, Answer.values(), 6, 1, 1, 1);
      long lag = switch (random.nextInt(4)) {
        case 0 -> 50;
        case 1 -> 5_000;
        default -> 0;
      };
      Pod pod = pick(random, Pod.values(), 6, 1, 1, 1);
      Duration unhealthyFor = random.nextBoolean() ? Duration.ofSeconds(30) : Duration.ofMinutes(10);
      facts.add(new Fact(ordinal, listed, learner, started, answer, 10_000 - lag, pod, random.nextInt(4) != 0,
          unhealthyFor));
    }
    return facts;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T[] values, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < values.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    throw new IllegalStateException();
  }

  /** The facts as the observer sees them: its own rule per member, the leader the answers name. */
  private static ClusterObservation observe(List<Fact> facts, Random random) {
    List<PodState> pods = facts.stream().filter(f -> f.pod() != Pod.MISSING).map(PlannerAdversarialTest::pod)
        .toList();
    Map<Long, Instant> unhealthySince = new HashMap<>();
    facts.forEach(f -> unhealthySince.put(id(f.ordinal()), NOW.minus(f.unhealthyFor())));
    MemberObserver.Known known = MemberObserver.Known.pods(pods, unhealthySince, NOW);
    List<Fact> answering = facts.stream().filter(f -> f.listed() && f.answer() == Answer.OWN_WITH_LEADER).toList();
    long leader = answering.isEmpty() || random.nextInt(5) == 0 ? 0
        : id(answering.get(random.nextInt(answering.size())).ordinal());
    List<EtcdMemberState> members = new ArrayList<>();
    for (Fact fact : facts) {
      if (fact.listed()) {
        members.add(MemberObserver.state(member(fact), "m-" + fact.ordinal(), fact.ordinal(), status(fact, leader),
            known));
      }
    }
    boolean leaderHealthy = members.stream().anyMatch(m -> m.id() == leader && m.healthy());
    return new ClusterObservation(true, 1, members, leaderHealthy ? leader : 0, pods, NOW);
  }

  private static PodState pod(Fact fact) {
    boolean ready = fact.pod() == Pod.READY;
    return new PodState("m-" + fact.ordinal(), fact.ordinal(), ready, fact.upToDate(), NOW.minus(Duration.ofHours(1)),
        ready ? null : NOW.minus(fact.unhealthyFor()), fact.pod() == Pod.TERMINATING);
  }

  private static Member member(Fact fact) {
    var member = io.etcd.jetcd.api.Member.newBuilder().setID(id(fact.ordinal())).setIsLearner(fact.learner())
        .addPeerURLs("http://m-" + fact.ordinal() + ":2380");
    if (fact.started()) {
      member.setName("m-" + fact.ordinal()).addClientURLs("http://m-" + fact.ordinal() + ":2379");
    }
    return new Member(member.build());
  }

  private static StatusResponse status(Fact fact, long leader) {
    if (fact.answer() == Answer.NONE) {
      return null;
    }
    long from = fact.answer() == Answer.ANOTHER_MEMBERS ? 0xbad : id(fact.ordinal());
    long names = fact.answer() == Answer.OWN_WITHOUT_LEADER ? 0 : leader == 0 ? id(fact.ordinal()) : leader;
    return new StatusResponse(io.etcd.jetcd.api.StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(from).setRevision(42).build())
        .setLeader(names).setRaftIndex(fact.raftIndex()).setVersion("3.6.16").setDbSize(1 << 20).build());
  }

  private static long id(int ordinal) {
    return 100 + ordinal;
  }
}
