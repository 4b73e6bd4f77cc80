package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;

/**
 * A container's status as a kubelet reports it: running; else waiting (with why) while it is to
 * start again; else terminated with its exit code and termination message. While a container that
 * exited runs again or waits to, how it exited is its lastState, as a kubelet keeps it. An init
 * container is ready once it exited 0, and waiting until it first runs.
 */
final class ContainerStatuses {

  private ContainerStatuses() {}

  static ContainerStatus of(ContainerRun run, RestartPolicy restartPolicy) {
    ContainerState state = run.running() ? running(run)
        : run.waitingReason() != null && restartPolicy.mayStart(run) ? waiting(run)
        : run.lastExitCode() != null ? terminated(run)
        : null;
    return common(run, state)
        .withReady(run.probes().ready())
        .withStarted(run.running() && run.probes().started())
        .build();
  }

  static ContainerStatus ofInit(ContainerRun run) {
    ContainerState state = run.running() ? running(run)
        : run.lastExitCode() != null ? terminated(run)
        : waiting(run);
    return common(run, state).withReady(run.succeeded()).build();
  }

  private static ContainerStatusBuilder common(ContainerRun run, ContainerState state) {
    boolean exitedBefore = state != null && state.getTerminated() == null && run.lastExitCode() != null;
    return new ContainerStatusBuilder()
        .withName(run.spec().getName())
        .withImage(run.spec().getImage())
        .withImageID(run.spec().getImage())
        .withRestartCount(run.restarts())
        .withState(state)
        .withLastState(exitedBefore ? terminated(run) : null);
  }

  private static ContainerState running(ContainerRun run) {
    return new ContainerStateBuilder()
        .withNewRunning().withStartedAt(PodStatusReporter.timestamp(run.startedAt())).endRunning().build();
  }

  private static ContainerState waiting(ContainerRun run) {
    return new ContainerStateBuilder()
        .withNewWaiting().withReason(run.waitingReason()).withMessage(run.waitingMessage()).endWaiting().build();
  }

  private static ContainerState terminated(ContainerRun run) {
    return new ContainerStateBuilder()
        .withNewTerminated().withExitCode(run.lastExitCode()).withMessage(run.lastMessage())
        .withReason(run.succeeded() ? "Completed" : "Error").endTerminated()
        .build();
  }
}
