package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node agent reports of a container that exited and runs again, as a kubelet does. */
class ContainerStatusesTest {

  @TempDir
  Path dir;

  @Test
  void anInitContainerRunningAgainAfterAFailureReportsThatFailureAsItsLastState() throws Exception {
    Container spec = new ContainerBuilder().withName("restore").withImage("operator")
        .withTerminationMessagePolicy("FallbackToLogsOnError").build();
    ContainerRun run = new ContainerRun("default/orders-0", spec, new ProbeCheck("127.0.0.1", List.of(spec), () -> 0));
    run(run, spec, "echo 'restore failed: not enough space'; exit 4").waitFor(10, TimeUnit.SECONDS);
    run.recordExit();
    Process again = run(run, spec, "sleep 30");
    try {
      ContainerStatus status = ContainerStatuses.ofInit(run);

      assertThat(status.getState().getRunning()).isNotNull();
      assertThat(status.getLastState()).as("how the failed attempt ended").isNotNull();
      assertThat(status.getLastState().getTerminated()).satisfies(last -> {
        assertThat(last.getExitCode()).isEqualTo(4);
        assertThat(last.getMessage()).contains("restore failed: not enough space");
      });
    } finally {
      again.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aContainerThatNeverExitedHasNoLastState() throws Exception {
    Container spec = new ContainerBuilder().withName("etcd").withImage("etcd").build();
    ContainerRun run = new ContainerRun("default/orders-0", spec, new ProbeCheck("127.0.0.1", List.of(spec), () -> 0));
    Process running = run(run, spec, "sleep 30");
    try {
      assertThat(ContainerStatuses.ofInit(run).getLastState()).isNull();
    } finally {
      running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process run(ContainerRun run, Container spec, String script) throws Exception {
    Path output = dir.resolve("output-" + System.nanoTime());
    Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    run.started(process, TerminationMessage.prepare(run.name(), spec, Map.of(), output), Optional.empty(),
        Instant.now());
    return process;
  }
}
