package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.kube.Conditions;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A member's etcd that keeps failing, as the kubelet reports it, and what the status says of it. */
class MemberCrashesTest {

  private static final String DENIED = """
      {"level":"info","msg":"starting an etcd server","name":"main-1"}
      {"level":"fatal","msg":"cannot access data directory","error":"open /var/lib/etcd/data/.touch: permission denied"}
      """;

  @Test
  void aMemberWaitingInBackOffIsReportedWithWhatItsEtcdSaidLast() {
    Pod backingOff = pod("main-1", waiting(), exited(1, DENIED), 3);

    assertThat(MemberCrashes.of(cluster("main", 3), List.of(pod("main-0", running(), null, 0), backingOff)))
        .hasValueSatisfying(m -> assertThat(m).startsWith("main-1: etcd exited with code 1 (3 restarts): ")
            .endsWith("permission denied\"}"));
  }

  @Test
  void aMemberRunningAgainOrStoppedCleanlyIsNotReported() {
    assertThat(MemberCrashes.of(cluster("main", 3), List.of(pod("main-1", running(), exited(1, DENIED), 1))))
        .as("a learner that failed before it was added runs now").isEmpty();
    assertThat(MemberCrashes.of(cluster("main", 3), List.of(pod("main-2", exited(0, null), null, 0)))).isEmpty();
    assertThat(MemberCrashes.of(cluster("main", 3), List.of(pod("other-0", waiting(), exited(1, DENIED), 2))))
        .as("not a member pod of this cluster").isEmpty();
  }

  @Test
  void etcdsLastFatalLineIsKeptWithoutItsStacktrace() {
    String log = """
        {"level":"info","msg":"starting an etcd server"}
        {"level":"fatal","msg":"cannot access data directory","error":"permission denied","stacktrace":"main.main\\n\\tgo.etcd.io/x.go:31\\n"}
        {"level":"info","msg":"closing"}
        """;

    assertThat(MemberCrashes.tail(log))
        .isEqualTo("{\"level\":\"fatal\",\"msg\":\"cannot access data directory\",\"error\":\"permission denied\"}");
    assertThat(MemberCrashes.tail("plain words\nthe last line")).isEqualTo("the last line");
    assertThat(MemberCrashes.tail("x".repeat(2000))).hasSize(MemberCrashes.MESSAGE_TAIL + 1).startsWith("…");
  }

  @Test
  void theCrashIsInTheDegradedConditionAfterWhatItSaidAlready() {
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    String crash = "main-1: etcd exited with code 1 (3 restarts): permission denied";
    EtcdClusterStatus settled = new EtcdClusterStatus();
    settled.setObservedGeneration(1L);
    settled.setConditions(List.of(Conditions.of(Conditions.DEGRADED, false, "AsExpected", "3 of 3", 1)));
    EtcdClusterStatus atRisk = new EtcdClusterStatus();
    atRisk.setObservedGeneration(1L);
    atRisk.setConditions(List.of(Conditions.of(Conditions.DEGRADED, true, "QuorumAtRisk", "2 of 3", 1)));

    var crashed = Conditions.find(ClusterStatusCalculator.withMemberCrash(settled, crash, now).getConditions(),
        Conditions.DEGRADED);
    var worse = Conditions.find(ClusterStatusCalculator.withMemberCrash(atRisk, crash, now).getConditions(),
        Conditions.DEGRADED);

    assertThat(crashed.getStatus()).isEqualTo("True");
    assertThat(crashed.getReason()).isEqualTo("MemberCrashLooping");
    assertThat(crashed.getMessage()).isEqualTo(crash);
    assertThat(worse.getReason()).isEqualTo("QuorumAtRisk");
    assertThat(worse.getMessage()).isEqualTo("2 of 3; " + crash);
    assertThat(MemberCrashes.who(crash)).isEqualTo("main-1: etcd exited with code 1");
  }

  private static Pod pod(String name, ContainerState state, ContainerState last, int restarts) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().addNewContainerStatus().withName("etcd").withState(state).withLastState(last)
          .withRestartCount(restarts).withReady(false).endContainerStatus().endStatus()
        .build();
  }

  private static ContainerState running() {
    return new ContainerStateBuilder().withNewRunning().endRunning().build();
  }

  private static ContainerState waiting() {
    return new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().build();
  }

  private static ContainerState exited(int code, String message) {
    return new ContainerStateBuilder().withNewTerminated().withExitCode(code).withMessage(message).endTerminated()
        .build();
  }
}
