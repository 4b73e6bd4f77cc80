package io.etcdplatform.members;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;

import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.Blocked;
import io.etcdplatform.members.Step.Bootstrap;
import io.etcdplatform.members.Step.DeleteLeftoverPod;
import io.etcdplatform.members.Step.MoveLeader;
import io.etcdplatform.members.Step.PromoteLearner;
import io.etcdplatform.members.Step.QuorumLost;
import io.etcdplatform.members.Step.RemoveMember;
import io.etcdplatform.members.Step.ReplaceLostMember;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.RestartMember;
import io.etcdplatform.members.Step.Steady;
import io.etcdplatform.members.Step.Wait;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Chooses the next membership step from the spec and one observation. Pure: every safety rule
 * lives here and is tested exhaustively without a cluster.
 *
 * <ul>
 *   <li>No step is taken with fewer healthy voters than a quorum; then nothing is automated.
 *   <li>One step per pass; a disruptive one (remove, replace, restart, move leader) only when
 *       every other voter is healthy and caught up, so it can never cost the quorum.
 *   <li>One learner at a time (etcd's own rule), promoted once in sync.
 *   <li>Scale-down takes the highest ordinal (compared as numbers), moving leadership away first;
 *       restarts take followers first and the leader last, after moving leadership away.
 * </ul>
 */
public final class Planner {

  private final PlannerSettings settings;

  public Planner(PlannerSettings settings) {
    this.settings = settings;
  }

  /**
   * @param desired spec.replicas
   * @param memberName the member (pod) name of an ordinal
   */
  public Step next(int desired, ClusterObservation observation, IntFunction<String> memberName) {
    if (!observation.reachable()) {
      return observation.formedBefore()
          ? new QuorumLost("no member answers: restore from a backup into a new EtcdCluster (docs/operations.md)")
          : new Bootstrap(desired);
    }
    return quorumLost(observation)
        .or(() -> observation.learners().stream().findFirst().map(learner -> nextForLearner(learner, observation)))
        .or(() -> replaceFailed(observation))
        .or(() -> leftoverOnLostNode(observation))
        .or(() -> scaleUp(desired, observation, memberName))
        .or(() -> scaleDown(desired, observation))
        .or(() -> restartOutdated(observation))
        .orElseGet(Steady::new);
  }

  /** Fewer healthy voters than a quorum: lost once the cluster had formed, still electing before. */
  private static Optional<Step> quorumLost(ClusterObservation observation) {
    int voters = observation.voters().size();
    long healthyVoters = observation.healthyVoters();
    int quorum = ClusterObservation.quorum(voters);
    if (healthyVoters >= quorum) {
      return Optional.empty();
    }
    if (!observation.formedBefore()) {
      return Optional.of(new Wait("the cluster is forming: " + healthyVoters + " of " + voters
          + " members know a leader yet"));
    }
    return Optional.of(new QuorumLost(healthyVoters + " of " + voters
        + " voting members are healthy, fewer than the quorum of " + quorum + ": no membership change is made; "
        + "restore from a backup into a new EtcdCluster (docs/operations.md)"));
  }

  /** The voter unhealthy the longest, replaced once the grace period is over. */
  private Optional<Step> replaceFailed(ClusterObservation observation) {
    return observation.voters().stream().filter(m -> !m.healthy())
        .min(Comparator.comparing(EtcdMemberState::unhealthySince, Comparator.nullsLast(Comparator.naturalOrder())))
        .map(member -> {
          Duration down = member.unhealthySince() == null ? Duration.ZERO
              : Duration.between(member.unhealthySince(), observation.now());
          if (down.compareTo(settings.failedMemberGrace()) < 0) {
            return new Wait(member.name() + " has been unhealthy for " + down.toSeconds() + "s; it is replaced after "
                + settings.failedMemberGrace().toSeconds() + "s");
          }
          String why = "after " + down.toSeconds() + "s unhealthy";
          return observation.pod(member.name()).filter(PodState::onLostNode)
              .<Step>map(pod -> new ReplaceLostMember(member.name(), member.id(), pod.lostNode(), why))
              .orElseGet(() -> new ReplaceMember(member.name(), member.id(), why));
        });
  }

  /** A pod on a lost node whose member is gone goes before a learner may join under its name. */
  private static Optional<Step> leftoverOnLostNode(ClusterObservation observation) {
    return observation.pods().stream()
        .filter(pod -> pod.onLostNode() && observation.members().stream().noneMatch(m -> m.name().equals(pod.name())))
        .min(Comparator.comparingInt(PodState::ordinal))
        .map(pod -> new DeleteLeftoverPod(pod.name(), pod.lostNode()));
  }

  private static Optional<Step> scaleUp(int desired, ClusterObservation observation, IntFunction<String> memberName) {
    if (observation.members().size() >= desired) {
      return Optional.empty();
    }
    int ordinal = lowestFreeOrdinal(observation);
    String name = memberName.apply(ordinal);
    if (observation.leftoversOf(name, ordinal)) {
      // a scale-up right after a scale-down: the StatefulSet would give the new pod the claim the
      // garbage collector has not deleted yet (or keep the old pod), and the learner would start on
      // the removed member's data, crash-looping until its start timeout
      return Optional.of(new Wait(name + " is added once the pod and data of the member removed under its name "
          + "are gone"));
    }
    return Optional.of(new AddLearner(name, ordinal));
  }

  /** The highest ordinal goes, once everyone is caught up, leadership moved away first. */
  private Optional<Step> scaleDown(int desired, ClusterObservation observation) {
    List<EtcdMemberState> voters = observation.voters();
    if (voters.size() <= desired) {
      return Optional.empty();
    }
    EtcdMemberState highest = voters.stream().max(Comparator.comparingInt(EtcdMemberState::ordinal)).orElseThrow();
    Optional<String> notCaughtUp = laggingMember(observation);
    if (notCaughtUp.isPresent()) {
      return Optional.of(new Wait("scale-down waits for " + notCaughtUp.get() + " to catch up"));
    }
    if (highest.id() == observation.leaderId()) {
      return Optional.of(moveLeaderAway(highest, observation, "before it is removed"));
    }
    return Optional.of(new RemoveMember(highest.name(), highest.id(), "to scale down to " + desired));
  }

  private Optional<Step> restartOutdated(ClusterObservation observation) {
    List<EtcdMemberState> outdated = observation.voters().stream()
        .filter(m -> observation.pod(m.name()).map(p -> !p.upToDate()).orElse(false))
        .toList();
    return outdated.isEmpty() ? Optional.empty() : Optional.of(nextRestart(outdated, observation));
  }

  private Step nextForLearner(EtcdMemberState learner, ClusterObservation observation) {
    boolean caughtUp = observation.caughtUp(learner, settings.maxRaftLag());
    // not the pod's readiness: etcd's /readyz fails on learners by design (its non_learner check)
    if (learner.healthy() && caughtUp) {
      return new PromoteLearner(learner.name(), learner.id());
    }
    // since it was added (first seen not started), not since its pod was created: a pod that waited
    // for its member (crash-looping) would time every new learner out at once, forever
    Duration waited = learner.unhealthySince() == null ? Duration.ZERO
        : Duration.between(learner.unhealthySince(), observation.now());
    if (!learner.healthy() && waited.compareTo(settings.learnerStartTimeout()) > 0) {
      // with its data: were it added again on what it wrote under its first ID, it never started
      return new ReplaceMember(learner.name(), learner.id(),
          "because it did not start within " + settings.learnerStartTimeout().toSeconds() + "s; it is added again");
    }
    return new Wait("learner " + learner.name() + " is catching up");
  }

  private Step nextRestart(List<EtcdMemberState> outdated, ClusterObservation observation) {
    Optional<String> notReady = observation.voters().stream()
        .filter(m -> !observation.pod(m.name()).map(PodState::ready).orElse(false))
        .map(EtcdMemberState::name).findFirst();
    if (notReady.isPresent()) {
      return new Wait("restarts wait for " + notReady.get() + " to be ready");
    }
    Optional<String> lagging = laggingMember(observation);
    if (lagging.isPresent()) {
      return new Wait("restarts wait for " + lagging.get() + " to catch up");
    }
    int voters = observation.voters().size();
    if (voters == 2) {
      return new Blocked("a two-member cluster loses its quorum while a member restarts: scale to 3 members to "
          + "apply the new version or flags");
    }
    Optional<EtcdMemberState> follower = outdated.stream().filter(m -> m.id() != observation.leaderId())
        .max(Comparator.comparingInt(EtcdMemberState::ordinal));
    if (follower.isPresent()) {
      return new RestartMember(follower.get().name(), "to apply the current version and flags");
    }
    EtcdMemberState leader = outdated.get(0);
    if (voters == 1) {
      return new RestartMember(leader.name(), "to apply the current version and flags (a single member: brief outage)");
    }
    return moveLeaderAway(leader, observation, "before it restarts");
  }

  private Step moveLeaderAway(EtcdMemberState leader, ClusterObservation observation, String why) {
    return observation.voters().stream()
        .filter(m -> m.id() != leader.id() && m.healthy())
        .min(Comparator.comparingInt(EtcdMemberState::ordinal))
        .<Step>map(to -> new MoveLeader(leader.name(), to.name(), to.id(), why))
        .orElseGet(() -> new Wait("no healthy member to take over leadership from " + leader.name()));
  }

  private Optional<String> laggingMember(ClusterObservation observation) {
    return observation.firstNotCaughtUp(observation.voters(), settings.maxRaftLag()).map(EtcdMemberState::name);
  }

  private static int lowestFreeOrdinal(ClusterObservation observation) {
    int ordinal = 0;
    while (observation.member(ordinal).isPresent()) {
      ordinal++;
    }
    return ordinal;
  }
}
