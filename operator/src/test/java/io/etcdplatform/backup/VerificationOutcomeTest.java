package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationOutcomeTest {

  @Test
  void nothingWhileTheJobRuns() {
    assertThat(VerificationOutcome.of(job(null, null), List.of())).isEmpty();
  }

  @Test
  void aCompletedDrillIsItsReport() {
    var report = VerificationOutcome.of(job("Complete", null), List.of(pod(
        "{\"passed\":true,\"message\":\"restored\",\"revision\":9,\"keys\":3,\"hashKv\":42,\"etcdPeakRssBytes\":1}")));

    assertThat(report).hasValueSatisfying(r -> {
      assertThat(r.passed()).isTrue();
      assertThat(r.revision()).isEqualTo(9);
      assertThat(r.keys()).isEqualTo(3);
      assertThat(r.hashKv()).isEqualTo(42);
    });
  }

  /** A failed check exits non-zero, so the Job fails: its report still says which check. */
  @Test
  void aFailedCheckIsTheReportOfAFailedJob() {
    var report = VerificationOutcome.of(job("Failed", "BackoffLimitExceeded"), List.of(pod(
        "{\"passed\":false,\"message\":\"HashKV check failed: ...\",\"etcdPeakRssBytes\":-1}")));

    assertThat(report).hasValueSatisfying(r -> {
      assertThat(r.passed()).isFalse();
      assertThat(r.message()).startsWith("HashKV check failed");
    });
  }

  @Test
  void aDrillThatCouldNotRunFailsSayingWhy() {
    assertThat(VerificationOutcome.of(job("Failed", "BackoffLimitExceeded"),
        List.of(pod("the restore drill could not run: connection refused")))).hasValueSatisfying(r -> {
          assertThat(r.passed()).isFalse();
          assertThat(r.message()).contains("could not run", "connection refused");
        });
    assertThat(VerificationOutcome.of(job("Failed", "DeadlineExceeded"), List.of())).hasValueSatisfying(
        r -> assertThat(r.message()).contains("did not finish within its deadline of 600 s"));
  }

  private static Job job(String condition, String reason) {
    var builder = new JobBuilder().withNewMetadata().withName("nightly-verify").endMetadata()
        .withNewSpec().withActiveDeadlineSeconds(600L).endSpec();
    if (condition != null) {
      builder.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
          .endCondition().endStatus();
    }
    return builder.build();
  }

  private static Pod pod(String terminationMessage) {
    return new PodBuilder().withNewStatus().addNewContainerStatus().withName("verify").withNewState().withNewTerminated()
        .withExitCode(0).withMessage(terminationMessage).withFinishedAt("2026-12-02T04:00:00Z").endTerminated()
        .endState().endContainerStatus().endStatus().build();
  }
}
