package io.etcdplatform.members;

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

/**
 * Observations that lie the way real ones do, for the adversarial property tests: generated raw
 * facts (etcd's member list, stale both ways, with ordinal gaps; each member's status answer: none,
 * its own with or without a leader, another member's from a reused address; raft indexes apart;
 * databases of every fragmentation; pods ready, not ready, Terminating or missing; learners never
 * started or crashed), turned into an observation by the observer's own rule.
 */
public final class AdversarialObservations {

  public static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  public enum Answer { NONE, OWN_WITH_LEADER, OWN_WITHOUT_LEADER, ANOTHER_MEMBERS }

  public enum Pod { READY, NOT_READY, TERMINATING, MISSING }

  /** One ordinal's facts. {@code listed}: etcd lists a member there (stale lists both ways). */
  public record Fact(int ordinal, boolean listed, boolean learner, boolean started, Answer answer, long raftIndex, Pod pod,
      boolean upToDate, Duration unhealthyFor, long dbSize, long dbSizeInUse) {}

  /** One generated case: the facts, and what the observer makes of them. */
  public record Case(List<Fact> facts, ClusterObservation observation) {

    public Fact factOf(long id) {
      int ordinal = observation.members().stream().filter(m -> m.id() == id).findFirst().orElseThrow().ordinal();
      return facts.stream().filter(f -> f.ordinal() == ordinal).findFirst().orElseThrow();
    }

    public Fact factOf(String member) {
      return facts.stream().filter(f -> ("m-" + f.ordinal()).equals(member)).findFirst().orElseThrow();
    }
  }

  private AdversarialObservations() {}

  public static Case generate(Random random) {
    List<Fact> facts = facts(random);
    return new Case(facts, observe(facts, random));
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
      long dbSize = (1L + random.nextInt(512)) << 20;
      facts.add(new Fact(ordinal, listed, learner, started, answer, 10_000 - lag, pod, random.nextInt(4) != 0,
          unhealthyFor, dbSize, (long) (dbSize * random.nextDouble())));
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
  static ClusterObservation observe(List<Fact> facts, Random random) {
    List<PodState> pods = facts.stream().filter(f -> f.pod() != Pod.MISSING).map(AdversarialObservations::pod)
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
        .setLeader(names).setRaftIndex(fact.raftIndex()).setVersion("3.6.16").setDbSize(fact.dbSize())
        .setDbSizeInUse(fact.dbSizeInUse()).build());
  }

  private static long id(int ordinal) {
    return 100 + ordinal;
  }
}
