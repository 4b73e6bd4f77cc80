package io.etcdplatform.members;

import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.etcd.MemberChanges;
import io.etcdplatform.members.Step.AddLearner;
import io.etcdplatform.members.Step.DeleteLeftoverPod;
import io.etcdplatform.members.Step.MoveLeader;
import io.etcdplatform.members.Step.PromoteLearner;
import io.etcdplatform.members.Step.RemoveMember;
import io.etcdplatform.members.Step.ReplaceLostMember;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.RestartMember;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs one planned step through etcd and the member pods. Every step is safe to repeat: a pass
 * interrupted after any call is completed by the next, which observes the result and plans again.
 */
public final class MembershipExecutor {

  private static final Logger log = LoggerFactory.getLogger(MembershipExecutor.class);

  private final MemberAddresses addresses;
  private final MemberPods pods;

  public MembershipExecutor(MemberAddresses addresses, MemberPods pods) {
    this.addresses = addresses;
    this.pods = pods;
  }

  /**
   * @throws EtcdUnavailableException when etcd refuses for now (a cluster started moments ago, a
   *     learner not yet in sync) or does not answer; the next pass observes again and re-plans
   * @throws DisruptionRefusedException when the disruption budget allows no disruption now
   */
  public void execute(Step.Action step, ClusterObservation observation, MemberChanges etcd) {
    log.info("{}: {}", addresses.cluster(), step.reason());
    if (step instanceof AddLearner add) {
      etcd.addLearner(addresses.peerUrl(add.name()));
    } else if (step instanceof PromoteLearner promote) {
      etcd.promote(promote.id());
    } else if (step instanceof MoveLeader move) {
      String leader = observation.leader().map(EtcdMemberState::name).orElseThrow();
      etcd.moveLeader(addresses.clientUrl(leader), move.toId());
    } else if (step instanceof RemoveMember remove) {
      etcd.remove(remove.id());
    } else if (step instanceof ReplaceMember replace) {
      // the data first: were the member removed first and the pass cut short, its pod would come
      // back on the data of a removed member, and the learner added under its name never start
      pods.deleteWithData(replace.name());
      etcd.remove(replace.id());
    } else if (step instanceof ReplaceLostMember lost) {
      // the removal first: its process may still run on a partitioned node, and only a removed
      // member is safe to run twice; a pass cut short here leaves a DeleteLeftoverPod for the next
      etcd.remove(lost.id());
      pods.forceDeleteWithData(lost.name());
    } else if (step instanceof DeleteLeftoverPod leftover) {
      pods.forceDeleteWithData(leftover.name());
    } else if (step instanceof RestartMember restart && observation.voters().size() == 1) {
      pods.restartOnlyMember(restart.name());
    } else if (step instanceof RestartMember restart) {
      pods.restart(restart.name());
    }
  }
}
