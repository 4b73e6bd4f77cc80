package io.etcdplatform.members;

/**
 * What the executor asks of the members' pods: the StatefulSet in Kubernetes, processes in tests.
 * Voluntary disruptions go through the disruption budget, which may refuse them for now.
 */
public interface MemberPods {

  /**
   * Stops the member and starts it again from the current template, keeping its data.
   *
   * @throws DisruptionRefusedException the disruption budget allows no disruption now
   */
  void restart(String member);

  /**
   * The same for the only member of a one-member cluster: a budget of one can never allow it, and
   * the spec change asked for this brief outage.
   */
  void restartOnlyMember(String member);

  /**
   * Deletes a failed member's data and its pod; the pod comes back empty (and joins when added again).
   *
   * @throws DisruptionRefusedException the disruption budget allows no disruption now
   */
  void deleteWithData(String member);

  /**
   * Deletes the claim and force-deletes the pod (grace period 0) of a member on a lost node, where
   * no kubelet will ever complete a deletion. Only for a pod whose member is no longer in etcd: its
   * process may still be running.
   */
  void forceDeleteWithData(String member);
}
