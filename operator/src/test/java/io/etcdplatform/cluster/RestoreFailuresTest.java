package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restore's failure as the kubelet reports it, before and after it restarted the init container. */
class RestoreFailuresTest {

  private static final String NO_SPACE = "restore failed: not enough space on the member's volume to restore "
      + "s3://b/k (5.0 GiB): ... raise spec.storage.size (8Gi) to at least 11Gi\n";

  @Test
  void aRefusedRestoreIsReadFromTheInitContainersStatus() {
    Pod refused = pod("orders-0", exited(3, "restore refused: the sha256 of s3://b/k is 00, not the ab recorded\n"),
        null);
    Pod ok = pod("orders-1", exited(0, null), null);

    assertThat(RestoreFailures.of(List.of(ok))).isEmpty();
    assertThat(RestoreFailures.of(List.of(ok, refused))).hasValueSatisfying(m ->
        assertThat(m).startsWith("orders-0: restore refused: the sha256 of s3://b/k"));
  }

  @Test
  void whileTheNextAttemptRunsTheLastOnesFailureIsReported() {
    Pod retrying = pod("orders-0", new ContainerStateBuilder().withNewRunning().endRunning().build(),
        exited(4, NO_SPACE));

    assertThat(RestoreFailures.of(List.of(retrying))).hasValueSatisfying(m ->
        assertThat(m).startsWith("orders-0: restore failed: not enough space").contains("spec.storage.size"));
  }

  @Test
  void whileTheNextAttemptWaitsInBackOffTheLastOnesFailureIsReported() {
    Pod backingOff = pod("orders-0", new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff")
        .endWaiting().build(), exited(1, null));

    assertThat(RestoreFailures.of(List.of(backingOff))).hasValue("orders-0: exit code 1");
  }

  @Test
  void anAttemptThatSucceededAfterAFailureRestoredEverything() {
    Pod recovered = pod("orders-0", exited(0, null), exited(1, "restore failed: etcdutl snapshot restore exited 1"));

    assertThat(RestoreFailures.of(List.of(recovered))).as("a restore is complete or absent: exit 0 restored")
        .isEmpty();
  }

  @Test
  void aPodWithoutARestoreContainerHasNoRestoreFailure() {
    Pod plain = new PodBuilder().withNewMetadata().withName("orders-0").endMetadata().withNewStatus().endStatus()
        .build();

    assertThat(RestoreFailures.of(List.of(plain))).isEmpty();
  }

  static Pod pod(String name, ContainerState state, ContainerState lastState) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
        .addNewInitContainerStatus().withName(DesiredRestoreContainer.NAME).withState(state).withLastState(lastState)
        .withRestartCount(lastState == null ? 0 : 1).endInitContainerStatus().endStatus().build();
  }

  static ContainerState exited(int code, String message) {
    return new ContainerStateBuilder().withNewTerminated().withExitCode(code).withMessage(message).endTerminated()
        .build();
  }
}
