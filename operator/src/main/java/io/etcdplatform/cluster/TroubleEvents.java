package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterHistory;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.members.Step;

/** The warnings a person must see when a cluster gets into trouble: once, when it does, not at every pass. */
final class TroubleEvents {

  static final String LEADER_CHANGED = "LeaderChanged";

  private TroubleEvents() {}

  static void announce(ClusterPass pass, PassResult result) {
    var before = ClusterHistory.conditions(pass.cluster());
    var degraded = Conditions.find(before, Conditions.DEGRADED);
    if (result.step() instanceof Step.QuorumLost
        && (degraded == null || !Conditions.QUORUM_LOST.equals(degraded.getReason()))) {
      pass.events().warning(pass.cluster(), "QuorumLost", result.step().reason());
    }
    var consistent = Conditions.find(before, Conditions.CONSISTENT);
    result.consistency().filter(c -> c.verdict() == Consistency.Verdict.INCONSISTENT)
        .filter(c -> consistent == null || !"False".equals(consistent.getStatus()))
        .ifPresent(c -> pass.events().warning(pass.cluster(), "Inconsistent", c.message()));
    result.restoreFailure().filter(f -> !Conditions.isFalse(before, Conditions.PROGRESSING, "RestoreFailed"))
        .ifPresent(f -> pass.events().warning(pass.cluster(), "RestoreFailed", f.refusal()));
    result.memberCrash().filter(crash -> degraded == null || degraded.getMessage() == null
            || !degraded.getMessage().contains(MemberCrashes.who(crash)))
        .ifPresent(crash -> pass.events().warning(pass.cluster(), ClusterStatusCalculator.MEMBER_CRASH_LOOPING, crash));
    result.applyFailure()
        .filter(f -> !Conditions.isFalse(before, Conditions.PROGRESSING, ClusterStatusCalculator.APPLY_FAILED))
        .ifPresent(f -> pass.events().warning(pass.cluster(), ClusterStatusCalculator.APPLY_FAILED, f.message()));
    result.leaders().flatMap(LeaderHistory.Outcome::change).ifPresent(change -> {
      if (change.cause().expected()) {
        pass.events().normal(pass.cluster(), LEADER_CHANGED, LeaderHistory.message(change));
      } else {
        pass.events().warning(pass.cluster(), LEADER_CHANGED, LeaderHistory.message(change));
      }
    });
  }
}
