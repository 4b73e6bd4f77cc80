package io.etcdplatform.members;

import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.MoveLeader;
import io.etcdplatform.members.Step.PromoteLearner;
import io.etcdplatform.members.Step.RemoveMember;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.RestartMember;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A toy etcd cluster on a toy StatefulSet, enough to drive the planner through whole scenarios:
 * steps act as the executor's would, and {@link #tick()} lets time pass (pods start, learners
 * catch up, restarted members come back, a leaderless cluster elects one).
 */
final class ModelCluster {

  static final Duration TICK = Duration.ofSeconds(30);

  private final TreeMap<Integer, Member> members = new TreeMap<>();
  private long nextId = 1;
  private long leaderId;
  private Instant now = Instant.parse("2026-06-01T00:00:00Z");
  private int template = 1;

  private static final class Member {
    final long id;
    final int ordinal;
    boolean learner;
    boolean healthy;
    boolean failed;
    boolean restarting;
    int template;
    long raftIndex;
    Instant unhealthySince;
    Instant podCreated;

    Member(long id, int ordinal, int template, Instant now) {
      this.id = id;
      this.ordinal = ordinal;
      this.template = template;
      this.podCreated = now;
    }
  }

  ModelCluster(int voters) {
    for (int i = 0; i < voters; i++) {
      Member member = new Member(nextId++, i, template, now);
      member.healthy = true;
      member.raftIndex = 1000;
      members.put(i, member);
    }
    leaderId = members.firstEntry().getValue().id;
  }

  void changeTemplate() {
    template++;
  }

  /** The member of this ordinal stops answering for good (crashed, data gone) until replaced. */
  void fail(int ordinal) {
    Member member = members.get(ordinal);
    member.failed = true;
    down(member);
  }

  ClusterObservation observe() {
    List<EtcdMemberState> states = new ArrayList<>();
    List<PodState> pods = new ArrayList<>();
    for (Member m : members.values()) {
      states.add(new EtcdMemberState(m.id, "m-" + m.ordinal, m.ordinal, m.healthy || !m.learner, m.learner, m.healthy, m.raftIndex, m.unhealthySince, null));
      pods.add(new PodState("m-" + m.ordinal, m.ordinal, m.healthy, m.template == template, m.podCreated, m.unhealthySince));
    }
    return new ClusterObservation(true, 1, states, leaderId, pods, now);
  }

  void apply(Step step) {
    if (step instanceof AddLearner add) {
      Member learner = new Member(nextId++, add.ordinal(), template, now);
      learner.learner = true;
      learner.unhealthySince = now;
      members.put(add.ordinal(), learner);
    } else if (step instanceof PromoteLearner promote) {
      byId(promote.id()).learner = false;
    } else if (step instanceof MoveLeader move) {
      leaderId = move.toId();
    } else if (step instanceof RemoveMember remove) {
      remove(remove.id());
    } else if (step instanceof ReplaceMember replace) {
      remove(replace.id());
    } else if (step instanceof RestartMember restart) {
      Member member = byName(restart.name());
      member.restarting = true;
      down(member);
    }
  }

  void tick() {
    now = now.plus(TICK);
    for (Member m : members.values()) {
      if (m.restarting || (!m.healthy && !m.failed)) {
        m.restarting = false;
        m.template = template;
        m.healthy = true;
        m.unhealthySince = null;
        m.raftIndex = 1000;
      }
    }
    if (members.values().stream().noneMatch(m -> m.id == leaderId && m.healthy)) {
      members.values().stream().filter(m -> m.healthy && !m.learner).min(Comparator.comparingInt(m -> m.ordinal))
          .ifPresent(m -> leaderId = m.id);
    }
  }

  long healthyVoters() {
    return members.values().stream().filter(m -> m.healthy && !m.learner).count();
  }

  long voters() {
    return members.values().stream().filter(m -> !m.learner).count();
  }

  private void down(Member member) {
    member.healthy = false;
    member.unhealthySince = now;
    if (member.id == leaderId) {
      leaderId = 0;
    }
  }

  private void remove(long id) {
    Member member = byId(id);
    members.remove(member.ordinal);
    if (id == leaderId) {
      leaderId = 0;
    }
  }

  private Member byId(long id) {
    return members.values().stream().filter(m -> m.id == id).findFirst().orElseThrow();
  }

  private Member byName(String name) {
    return members.get(Integer.parseInt(name.substring(2)));
  }
}
