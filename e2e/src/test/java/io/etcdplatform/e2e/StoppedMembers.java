package io.etcdplatform.e2e;

import io.etcdplatform.e2e.env.NodeAgent;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Members kept stopped (SIGSTOP) for as long as a scenario needs, longer than their liveness
 * probe tolerates: the node agent restarts a member whose probe failed six times in a row, as a
 * kubelet would, and the restarted process is stopped again within a quarter of a second, before
 * it could elect a leader. Closing it lets them run again.
 */
final class StoppedMembers implements AutoCloseable {

  private static final long REPEAT_MILLIS = 250;

  private final NodeAgent agent;
  private final String namespace;
  private final List<String> pods;
  private final AtomicBoolean stopped = new AtomicBoolean(true);
  private final Thread keeper;

  private StoppedMembers(NodeAgent agent, String namespace, List<String> pods) {
    this.agent = agent;
    this.namespace = namespace;
    this.pods = pods;
    this.keeper = new Thread(this::keepStopped, "stopped-members");
    keeper.setDaemon(true);
  }

  static StoppedMembers stop(NodeAgent agent, String namespace, List<String> pods) {
    StoppedMembers members = new StoppedMembers(agent, namespace, pods);
    members.pauseAll(true);
    members.keeper.start();
    return members;
  }

  private void keepStopped() {
    while (stopped.get()) {
      pauseAll(true);
      try {
        Thread.sleep(REPEAT_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void pauseAll(boolean paused) {
    for (String pod : pods) {
      try {
        agent.pause(namespace, pod, paused);
      } catch (Exception e) {
        // between a container's exit and its restart: the next round stops the new process
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped.set(false);
    keeper.interrupt();
    keeper.join(5_000);
    pauseAll(false);
  }
}
