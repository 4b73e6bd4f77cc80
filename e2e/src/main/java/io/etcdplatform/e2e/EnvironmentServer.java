package io.etcdplatform.e2e;

import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.testing.ApiServerTest;
import io.etcdplatform.testing.Binaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    Process operator = null;
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, env.controlPlane().kubeconfigYaml());
      ApiServerTest.installCrds(env.client());
      ProcessBuilder builder = new ProcessBuilder(List.of("java",
          "-Djdk.net.hosts.file=" + env.agent().hostsFile(), "-Dvertx.disableDnsResolver=true",
          "-Dsun.net.inetaddr.ttl=0", "-Dsun.net.inetaddr.negative.ttl=0",
          "-jar", operatorJar.toString()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("operator.log").toFile()));
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("HTTP_PORT", "0");
      builder.environment().put("PROGRESS_INTERVAL_SECONDS", "2");
      builder.environment().put("ETCD_PLATFORM_CACHE", Binaries.cache().toString());
      operator = builder.start();
      Files.writeString(dir.resolve("operator.pid"), Long.toString(operator.pid()));
      Files.writeString(dir.resolve("ready"), "");
      System.out.println("environment ready: KUBECONFIG=" + kubeconfig + ", hosts file " + env.agent().hostsFile());
      Process running = operator;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop(running);
        env.close();
        stopped.countDown();
      }, "environment-stop"));
      stopped.await();
    } catch (Exception e) {
      stop(operator);
      env.close();
      throw e;
    }
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    try {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
