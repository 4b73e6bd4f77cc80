package io.etcdplatform.backup;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a finished save-snapshot Job says: the snapshot it stored, or why it failed. Empty while it runs. */
public final class SnapshotJobOutcome {

  public sealed interface Outcome {}

  public record Saved(SnapshotFileCommands.Result result) implements Outcome {}

  public record Failed(String message) implements Outcome {}

  private SnapshotJobOutcome() {}

  /** @param pods the Job's pods, whose container's termination message carries the result */
  public static Optional<Outcome> of(Job job, List<Pod> pods) {
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failed = condition(job, "Failed");
    if (complete.isEmpty() && failed.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> message = terminationMessage(pods);
    String name = job.getMetadata().getName();
    if (complete.isPresent()) {
      try {
        return Optional.of(new Saved(SnapshotFileCommands.parse(message.orElseThrow(() -> new IOException("none")))));
      } catch (IOException e) {
        return Optional.of(new Failed("Job " + name + " completed but its report of the snapshot is "
            + message.map(m -> "unreadable (" + m + "): the operator image may not match the operator's version")
                .orElse("gone (its pod was removed before the operator read it)")
            + "; the file may be in the claim: create a new EtcdBackup"));
      }
    }
    JobCondition condition = failed.get();
    if ("DeadlineExceeded".equals(condition.getReason())) {
      return Optional.of(new Failed("Job " + name + " did not finish within its deadline of "
          + job.getSpec().getActiveDeadlineSeconds() + " s (BACKUP_TIMEOUT_SECONDS + 2 min): check that the claim is "
          + "bound, that the pod could start, and how fast the claim's storage writes (kubectl describe job " + name
          + ")" + message.map(m -> "; " + m).orElse("")));
    }
    return Optional.of(new Failed("Job " + name + " failed: " + message.orElse(condition.getMessage()
        + " (kubectl describe job " + name + ")")));
  }

  static boolean has(Job job, String conditionType) {
    return condition(job, conditionType).isPresent();
  }

  static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null || job.getStatus().getConditions() == null ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  /** The message of the most recently finished container of the Job's pods. */
  static Optional<String> terminationMessage(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null && s.getTerminated().getMessage() != null)
        .map(s -> s.getTerminated())
        .max(Comparator.comparing((ContainerStateTerminated t) -> Objects.toString(t.getFinishedAt(), "")))
        .map(t -> t.getMessage().strip());
  }
}
