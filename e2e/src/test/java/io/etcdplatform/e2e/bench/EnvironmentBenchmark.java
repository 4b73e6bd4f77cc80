package io.etcdplatform.e2e.bench;

import static org.awaitility.Awaitility.await;

import io.etcdplatform.Main;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.bench.StaticCluster;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testing.OperatorUnderTest;
import io.etcdplatform.testkit.ApiServerTest;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Edits;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * `make bench`, second table: the operator on the local Kubernetes environment, from
 * {@code kubectl apply} to Running and through scaling and recovery, each beside the same members
 * started directly as a static etcd cluster in the same run. Prints a table; asserts nothing.
 */
public final class EnvironmentBenchmark {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Path WORK = Path.of("target", "bench-env").toAbsolutePath();
  private static final int FAILED_MEMBER_GRACE_SECONDS = 10;

  private record Row(String operation, Duration time, Duration baseline) {}

  public static void main(String[] args) throws Exception {
    Path etcd = Binaries.etcd("etcd");
    Duration static1 = StaticCluster.startTime(etcd, 1, WORK.resolve("static"));
    Duration static3 = StaticCluster.startTime(etcd, 3, WORK.resolve("static"));
    Duration static5 = StaticCluster.startTime(etcd, 5, WORK.resolve("static"));
    List<Row> rows = new ArrayList<>();
    try (LocalCluster env = LocalCluster.start(WORK);
         Main.RunningOperator operator = startOperator(env)) {
      Bench bench = new Bench(env);
      rows.add(new Row("apply -> Running, 1 member", bench.create("one", 1), static1));
      rows.add(new Row("apply -> Running, 3 members", bench.create("three", 3), static3));
      rows.add(new Row("apply -> Running, 5 members", bench.create("five", 5), static5));
      rows.add(new Row("scale 3 -> 5", bench.scale("three", 5), static5));
      rows.add(new Row("scale 5 -> 3", bench.scale("three", 3), static3));
      rows.add(new Row("recover a crashed member (kill -9)", bench.crash("three", "three-1"), static3));
      rows.add(new Row("replace a wiped member (incl. " + FAILED_MEMBER_GRACE_SECONDS + " s grace)",
          bench.wipe("three", "three-2"), static3));
    }
    System.out.printf("%n%-46s %10s %26s %8s%n", "operation (operator on the local environment)", "time",
        "static start, same size", "ratio");
    for (Row row : rows) {
      System.out.printf("%-46s %9.1fs %25.1fs %7.1fx%n", row.operation(), seconds(row.time()), seconds(row.baseline()),
          seconds(row.time()) / seconds(row.baseline()));
    }
  }

  /** The CRDs first, as Helm installs them, then the operator. */
  private static Main.RunningOperator startOperator(LocalCluster env) throws Exception {
    ApiServerTest.installCrds(env.client());
    return Main.start(OperatorConfig.from(Map.of("HTTP_PORT", "0", "PROGRESS_INTERVAL_SECONDS", "1",
            "FAILED_MEMBER_GRACE_SECONDS", "" + FAILED_MEMBER_GRACE_SECONDS)),
        Config.fromKubeconfig(env.controlPlane().kubeconfigYaml()), OperatorUnderTest.DO_NOT_EXIT);
  }

  private record Bench(LocalCluster env) {

    Duration create(String name, int members) {
      EtcdCluster cluster = new EtcdCluster();
      cluster.getMetadata().setName(name);
      cluster.getMetadata().setNamespace("default");
      cluster.getSpec().setReplicas(members);
      Instant start = Instant.now();
      env.client().resource(cluster).create();
      awaitRunning(name, members);
      return Duration.between(start, Instant.now());
    }

    Duration scale(String name, int members) {
      Instant start = Instant.now();
      Edits.edit(env.client().resources(EtcdCluster.class).inNamespace("default").withName(name), c -> {
        c.getSpec().setReplicas(members);
        return c;
      });
      awaitRunning(name, members);
      return Duration.between(start, Instant.now());
    }

    Duration crash(String name, String pod) {
      Instant start = Instant.now();
      env.agent().crash("default", pod, "etcd");
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> restarts(pod) > 0);
      awaitRunning(name, membersOf(name));
      return Duration.between(start, Instant.now());
    }

    Duration wipe(String name, String pod) {
      String before = memberId(name, pod);
      Instant start = Instant.now();
      env.agent().wipeClaim("default", "data-" + pod);
      env.agent().crash("default", pod, "etcd");
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> memberId(name, pod) != null && !Objects.equals(memberId(name, pod), before));
      awaitRunning(name, membersOf(name));
      return Duration.between(start, Instant.now());
    }

    private EtcdCluster get(String name) {
      return env.client().resources(EtcdCluster.class).inNamespace("default").withName(name).get();
    }

    private int membersOf(String name) {
      return get(name).getSpec().getReplicas();
    }

    private String memberId(String name, String member) {
      var members = get(name).getStatus().getMembers();
      return members == null ? null
          : members.stream().filter(m -> member.equals(m.getName())).map(m -> m.getId()).findFirst().orElse(null);
    }

    private int restarts(String pod) {
      var statuses = env.client().pods().inNamespace("default").withName(pod).get().getStatus().getContainerStatuses();
      return statuses == null || statuses.isEmpty() ? 0 : statuses.get(0).getRestartCount();
    }

    private void awaitRunning(String name, int members) {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
        EtcdCluster c = get(name);
        return c != null && c.getStatus() != null && c.getStatus().getPhase() == Phase.Running
            && (members + "/" + members).equals(c.getStatus().getReady())
            && c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == members;
      });
    }
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
