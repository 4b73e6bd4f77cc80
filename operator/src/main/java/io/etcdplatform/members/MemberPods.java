package io.etcdplatform.members;

/** What the executor asks of the members' pods: the StatefulSet in Kubernetes, processes in tests. */
public interface MemberPods {

  /** Stops the member and starts it again from the current template, keeping its data. */
  void restart(String member);

  /** Deletes the member's data and its pod; the pod comes back empty (and joins when added again). */
  void deleteWithData(String member);
}
