package io.etcdplatform.e2e;

import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testing.ApiServerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * `make up`: the local Kubernetes environment with the CRDs installed and the operator running as
 * its own process ({@code java -jar}, names resolved through the node agent's hosts file). Writes
 * {@code kubeconfig} and then {@code ready} into its directory, and runs until SIGTERM
 * (`make down`), when it stops the operator, every pod and the control plane by pid.
 */
public final class EnvironmentServer {

  private EnvironmentServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path operatorJar = Path.of(args[1]).toAbsolutePath();
    Files.deleteIfExists(dir.resolve("ready"));
    LocalCluster env = LocalCluster.start(dir);
    OperatorProcess operator = null;
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, env.controlPlane().kubeconfigYaml());
      ApiServerTest.installCrds(env.client());
      operator = OperatorProcess.start(operatorJar, kubeconfig, env.agent().hostsFile(),
          Map.of("HTTP_PORT", "0", "PROGRESS_INTERVAL_SECONDS", "2"), dir.resolve("operator.log"));
      Files.writeString(dir.resolve("operator.pid"), Long.toString(operator.pid()));
      Files.writeString(dir.resolve("ready"), "");
      System.out.println("environment ready: KUBECONFIG=" + kubeconfig + ", hosts file " + env.agent().hostsFile());
      OperatorProcess running = operator;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.close();
        env.close();
        stopped.countDown();
      }, "environment-stop"));
      stopped.await();
    } catch (Exception e) {
      if (operator != null) {
        operator.close();
      }
      env.close();
      throw e;
    }
  }
}
