package io.etcdplatform.e2e;

import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.e2e.env.OperatorJar;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator as its own process ({@code java -jar}), as it runs in a pod: a kubeconfig, settings
 * in its environment, names resolved only through the cluster hosts file. Stopped by its own pid.
 */
public final class OperatorProcess implements AutoCloseable {

  public static final String CHART_NAMESPACE = "etcd-operator";

  private final Process process;

  private OperatorProcess(Process process) {
    this.process = process;
  }

  public static OperatorProcess start(Path jar, Path kubeconfig, Path hostsFile, Map<String, String> settings, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of("java",
        "-Djdk.net.hosts.file=" + hostsFile, "-Dvertx.disableDnsResolver=true",
        "-jar", jar.toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(settings);
    return new OperatorProcess(builder.start());
  }

  /**
   * The built operator as the chart's service account on {@code env}, with the suites' short
   * intervals (a pass every 2 s while progressing, every 10 s when settled) and {@code settings} on top.
   */
  public static OperatorProcess startAsChartAccount(LocalCluster env, Path workDir, Map<String, String> settings,
      Path log) throws IOException, InterruptedException {
    Map<String, String> all = new HashMap<>(Map.of("HTTP_PORT", "0", "POD_NAMESPACE", CHART_NAMESPACE,
        "PROGRESS_INTERVAL_SECONDS", "2", "HEALTH_INTERVAL_SECONDS", "10"));
    all.putAll(settings);
    return start(OperatorJar.built(), chartServiceAccountKubeconfig(env, workDir), env.agent().hostsFile(), all, log);
  }

  /**
   * Installs the chart without an operator pod (its RBAC and service account only) and returns a
   * kubeconfig of that account (valid 2 hours): an operator process using it has exactly the
   * chart's rights. The Lease namespace to give it is {@link #CHART_NAMESPACE}.
   */
  public static Path chartServiceAccountKubeconfig(LocalCluster env, Path workDir) throws IOException, InterruptedException {
    Cli.helm(env.controlPlane().kubeconfig(), Binaries.repositoryRoot(), workDir.resolve("helm")).run(
        "install", "etcd-operator", "charts/etcd-operator", "--namespace", CHART_NAMESPACE, "--create-namespace",
        "--set", "replicaCount=0", "--wait", "--timeout", "2m");
    return env.kubeconfigFor(CHART_NAMESPACE, "etcd-operator", Duration.ofHours(2),
        workDir.resolve("operator.kubeconfig"));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (graceful shutdown), SIGKILL after 15 s. */
  @Override
  public void close() {
    Processes.stop(process);
  }
}
