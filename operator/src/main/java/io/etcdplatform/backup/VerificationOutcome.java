package io.etcdplatform.backup;

import io.etcdplatform.backup.VerifySnapshot.Report;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a finished verification Job says: the drill's report (passed, or which check failed), or a
 * failed report saying why the drill could not run. Empty while it runs.
 */
public final class VerificationOutcome {

  private VerificationOutcome() {}

  public static Optional<Report> of(Job job, List<Pod> pods) {
    Optional<JobCondition> complete = SnapshotJobOutcome.condition(job, "Complete");
    Optional<JobCondition> failed = SnapshotJobOutcome.condition(job, "Failed");
    if (complete.isEmpty() && failed.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> message = SnapshotJobOutcome.terminationMessage(pods);
    Optional<Report> report = message.flatMap(VerificationOutcome::report);
    if (report.isPresent()) {
      return report;
    }
    String name = job.getMetadata().getName();
    if (failed.isPresent() && "DeadlineExceeded".equals(failed.get().getReason())) {
      return Optional.of(couldNotRun("Job " + name + " did not finish within its deadline of "
          + job.getSpec().getActiveDeadlineSeconds() + " s: check that its pod could start and how fast the storage "
          + "serves the snapshot (kubectl describe job " + name + ")" + message.map(m -> "; " + m).orElse("")));
    }
    if (failed.isPresent()) {
      return Optional.of(couldNotRun("the restore drill could not run: " + message.orElse(failed.get().getMessage()
          + " (kubectl describe job " + name + ")")));
    }
    return Optional.of(couldNotRun("Job " + name + " completed but its report is "
        + message.map(m -> "unreadable (" + m + "): the operator image may not match the operator's version")
            .orElse("gone (its pod was removed before the operator read it)")
        + "; annotate the EtcdBackup etcdplatform.io/verify with a new value to drill again"));
  }

  private static Optional<Report> report(String message) {
    try {
      return Optional.of(VerifySnapshot.parse(message));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Report couldNotRun(String message) {
    return new Report(false, message, null, null, null, -1);
  }
}
