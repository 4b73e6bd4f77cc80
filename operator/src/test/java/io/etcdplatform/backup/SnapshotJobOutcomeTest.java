package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.backup.SnapshotJobOutcome.Failed;
import io.etcdplatform.backup.SnapshotJobOutcome.Saved;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotJobOutcomeTest {

  @Test
  void aRunningJobHasNoOutcomeYet() {
    assertThat(SnapshotJobOutcome.of(job(null, null), List.of())).isEmpty();
  }

  @Test
  void aCompletedJobReportsTheSnapshotItStored() {
    var outcome = SnapshotJobOutcome.of(job("Complete", null),
        List.of(pod(0, "{\"sizeBytes\":2048,\"sha256\":\"" + "ab".repeat(32) + "\"}\n")));

    assertThat(outcome).hasValueSatisfying(o -> assertThat(o).isEqualTo(
        new Saved(new SnapshotFileCommands.Result(2048, "ab".repeat(32)))));
  }

  @Test
  void aCompletedJobWithoutAResultIsAFailureNotASuccess() {
    assertThat(SnapshotJobOutcome.of(job("Complete", null), List.of(pod(0, null))))
        .hasValueSatisfying(o -> assertThat(((Failed) o).message()).contains("report of the snapshot is gone"));
  }

  @Test
  void aFailedJobSaysWhatItsContainerSaid() {
    var outcome = SnapshotJobOutcome.of(job("Failed", "BackoffLimitExceeded"),
        List.of(pod(1, "writing /backup/main/x.db failed (No space left on device)")));

    assertThat(outcome).hasValueSatisfying(o -> assertThat(((Failed) o).message())
        .isEqualTo("Job x-snapshot failed: writing /backup/main/x.db failed (No space left on device)"));
  }

  @Test
  void aJobPastItsDeadlineSaysSoAndWhereToLook() {
    var outcome = SnapshotJobOutcome.of(job("Failed", "DeadlineExceeded"), List.of());

    assertThat(outcome).hasValueSatisfying(o -> assertThat(((Failed) o).message())
        .contains("did not finish within its deadline of 1920 s").contains("kubectl describe job x-snapshot"));
  }

  private static Job job(String condition, String reason) {
    var builder = new JobBuilder().withNewMetadata().withName("x-snapshot").endMetadata()
        .withNewSpec().withActiveDeadlineSeconds(1920L).endSpec();
    if (condition != null) {
      builder.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
          .withMessage("Job has reached the specified backoff limit").endCondition().endStatus();
    }
    return builder.build();
  }

  private static Pod pod(int exitCode, String message) {
    return new PodBuilder().withNewMetadata().withName("x-snapshot-abcde").endMetadata().withNewStatus()
        .addNewContainerStatus().withName("snapshot").withNewState().withNewTerminated().withExitCode(exitCode)
        .withMessage(message).endTerminated().endState().endContainerStatus().endStatus().build();
  }
}
