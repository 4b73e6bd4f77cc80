package io.etcdplatform.e2e;

import io.etcdplatform.e2e.env.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * `make up`: the local Kubernetes environment (control plane and node agent). Writes
 * {@code kubeconfig} and then {@code ready} into its directory, and runs until SIGTERM
 * (`make down`), when it stops every pod and the control plane by pid. scripts/env.sh then
 * installs the operator with the Helm chart, and the node agent runs its pod.
 */
public final class EnvironmentServer {

  private EnvironmentServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    Files.deleteIfExists(dir.resolve("ready"));
    LocalCluster env = LocalCluster.start(dir);
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, env.controlPlane().kubeconfigYaml());
      Files.writeString(dir.resolve("ready"), "");
      System.out.println("environment ready: KUBECONFIG=" + kubeconfig + ", hosts file " + env.agent().hostsFile());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        env.close();
        stopped.countDown();
      }, "environment-stop"));
      stopped.await();
    } catch (Exception e) {
      env.close();
      throw e;
    }
  }
}
