package io.etcdplatform.cluster;

import io.etcdplatform.members.MembershipCycle;
import io.etcdplatform.members.Step;

/** Plan and act on the membership: one step per pass, carried out and recorded as an Event. */
final class MembershipStage {

  private final MembershipCycle cycle;

  MembershipStage(MembershipCycle cycle) {
    this.cycle = cycle;
  }

  Step plan(ClusterPass pass, Observed observed) {
    return pass.snapshots().holdBack(
        cycle.plan(pass.desiredMembers(), observed.observation(), observed.access().addresses()));
  }

  /** Carries out an action step; returns the step to report (a Wait when etcd refused it for now). */
  Step act(ClusterPass pass, Observed observed, Step step) {
    Step done = cycle.act(step, observed.observation(), observed.etcd(), observed.access().addresses(),
        new KubernetesMemberPods(pass.cluster(), pass.client()));
    if (done instanceof Step.ReplaceLostMember) {
      // a node lost with a member on it is a failure a person should know of, not routine
      pass.events().warning(pass.cluster(), ClusterStatusCalculator.kind(done), done.reason());
    } else if (done instanceof Step.Action) {
      pass.events().normal(pass.cluster(), ClusterStatusCalculator.kind(done), done.reason());
    }
    return done;
  }
}
