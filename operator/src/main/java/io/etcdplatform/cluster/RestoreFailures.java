package io.etcdplatform.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Optional;

/**
 * A restore init container's failure, read from the member pods' statuses. Pure. A failed
 * restore is restarted by the kubelet: while the next attempt runs or waits in back-off, the
 * failure is in the container's {@code lastState}, so it is read there too and stays reported
 * until an attempt succeeds. Since a restore is complete or absent, an attempt that exited 0 has
 * restored (or had nothing to do), and no earlier failure counts.
 */
public final class RestoreFailures {

  private RestoreFailures() {}

  /** The first pod whose restore failed, with the end of its output, e.g. "orders-0: restore refused: ...". */
  public static Optional<String> of(Collection<Pod> pods) {
    return pods.stream()
        .flatMap(pod -> restoreStatus(pod).flatMap(RestoreFailures::failure).stream()
            .map(t -> pod.getMetadata().getName() + ": " + (t.getMessage() == null || t.getMessage().isBlank()
                ? "exit code " + t.getExitCode() : t.getMessage().strip())))
        .findFirst();
  }

  private static Optional<ContainerStatus> restoreStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getInitContainerStatuses().stream()
        .filter(s -> DesiredRestoreContainer.NAME.equals(s.getName())).findFirst();
  }

  /** The current attempt's failure, or, while another attempt runs or waits, the last one's. */
  private static Optional<ContainerStateTerminated> failure(ContainerStatus status) {
    ContainerStateTerminated current = status.getState() == null ? null : status.getState().getTerminated();
    ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
    return Optional.ofNullable(current != null ? current : last)
        .filter(t -> t.getExitCode() != null && t.getExitCode() != 0);
  }
}
