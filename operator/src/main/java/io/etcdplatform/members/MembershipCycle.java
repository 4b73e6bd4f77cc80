package io.etcdplatform.members;

import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.etcd.MemberChanges;
import io.etcdplatform.observation.ClusterObservation;

/**
 * The membership part of every pass, the same for the reconciler and for the real-etcd tests that
 * drive processes: plan one step on an observation and carry it out; the pods and bootstrap data
 * then follow that same observation ({@link MembershipLayout}).
 */
public final class MembershipCycle {

  private final Planner planner;

  public MembershipCycle(Planner planner) {
    this.planner = planner;
  }

  public Step plan(int desired, ClusterObservation observation, MemberAddresses addresses) {
    return planner.next(desired, observation, addresses::name);
  }

  /**
   * Carries out an action step; returns the step as done: a Wait when etcd refused it for now (a
   * cluster started moments ago, a learner not yet in sync) or did not answer, for the next pass
   * observes again and plans anew.
   */
  public Step act(Step step, ClusterObservation observation, MemberChanges etcd, MemberAddresses addresses,
      MemberPods pods) {
    if (!(step instanceof Step.Action action)) {
      return step;
    }
    try {
      new MembershipExecutor(addresses, pods).execute(action, observation, etcd);
      return step;
    } catch (EtcdUnavailableException | DisruptionRefusedException e) {
      return new Step.Wait(step.reason() + " was refused for now, retrying: " + e.getMessage());
    }
  }
}
