package io.etcdplatform.testkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane on loopback: etcd and kube-apiserver through fabric8 kube-api-test (offline,
 * on the locally built binaries), plus kube-controller-manager for garbage collection, namespaces
 * and StatefulSets. Every process is stopped by its own pid on {@link #close()}.
 */
public final class KubeControlPlane implements AutoCloseable {

  /**
   * Controllers the tests rely on: owner-reference GC, namespace deletion, pods and claims of
   * StatefulSets, Deployments (the operator's own, from the chart), Jobs, binding claims to volumes
   * (and releasing them once unused), Endpoints.
   */
  private static final String CONTROLLERS = String.join(",", "garbage-collector-controller",
      "namespace-controller", "statefulset-controller", "deployment-controller", "replicaset-controller",
      "job-controller", "serviceaccount-controller", "disruption-controller",
      "persistentvolume-binder-controller", "persistentvolumeclaim-protection-controller",
      "persistentvolume-protection-controller", "endpoints-controller", "endpointslice-controller");

  /**
   * With several Nodes (the node-loss suite): the node-lifecycle controller marks a Node whose
   * heartbeats stopped for 16 s Unknown and taints it unreachable (default grace 50 s), and
   * taint-based eviction deletes its pods 10 s later (the API server's default tolerations, 300 s
   * by default), so a lost node's pods are Terminating within about half a minute.
   */
  private static final List<String> NODE_LIFECYCLE = List.of(
      "--controllers=" + CONTROLLERS + ",node-lifecycle-controller,taint-eviction-controller",
      "--node-monitor-period=2s", "--node-monitor-grace-period=16s", "--node-startup-grace-period=30s");

  private final Path workDir;
  private final boolean nodeLifecycle;
  private final KubeAPIServer apiServer;
  private final Path kubeconfig;
  private Process controllerManager;
  private boolean closed;

  private KubeControlPlane(Path workDir, boolean nodeLifecycle) {
    this.workDir = workDir;
    this.nodeLifecycle = nodeLifecycle;
    this.kubeconfig = workDir.resolve("kubeconfig");
    String version = Binaries.kubernetesVersion().substring(1);
    linkBinaries(workDir.resolve("k8s").resolve(version + "-linux-amd64"));
    this.apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(workDir.toString())
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        // kube-api-test measures its startup deadline in LocalTime, which wraps at midnight: a start
        // within this many ms before 00:00 UTC fails at once; keep the window small
        .withStartupTimeout(60_000)
        .withApiServerFlag("--bind-address", "127.0.0.1")
        .withApiServerFlag("--advertise-address", "127.0.0.1")
        .withApiServerFlag("--default-not-ready-toleration-seconds", nodeLifecycle ? "10" : "300")
        .withApiServerFlag("--default-unreachable-toleration-seconds", nodeLifecycle ? "10" : "300")
        .build());
  }

  /** Starts a fresh control plane whose files live under {@code workDir}. */
  public static KubeControlPlane start(Path workDir) {
    return start(workDir, false);
  }

  /** @param nodeLifecycle also run the node-lifecycle and taint-eviction controllers, with short periods */
  public static KubeControlPlane start(Path workDir, boolean nodeLifecycle) {
    KubeControlPlane plane = new KubeControlPlane(workDir, nodeLifecycle);
    // also when the JVM exits without closing it (System.exit, a failed fork); not on SIGKILL
    Runtime.getRuntime().addShutdownHook(new Thread(plane::close, "control-plane-stop"));
    try {
      plane.apiServer.start();
      Files.writeString(plane.kubeconfig, plane.apiServer.getKubeConfigYaml());
      plane.startControllerManager();
      return plane;
    } catch (IOException | RuntimeException e) {
      plane.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The API server's (self-signed) serving certificate, which clients in pods trust. */
  public Path caCertificate() {
    return workDir.resolve("apiserver.crt");
  }

  public String kubeconfigYaml() {
    return apiServer.getKubeConfigYaml();
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml())).build();
  }

  private void startControllerManager() throws IOException {
    Path log = workDir.resolve("kube-controller-manager.log");
    List<String> command = new java.util.ArrayList<>(List.of(
        Binaries.kubernetes("kube-controller-manager").toString(),
        "--kubeconfig=" + kubeconfig,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=0",
        "--use-service-account-credentials=false",
        "--concurrent-gc-syncs=5"));
    command.addAll(nodeLifecycle ? NODE_LIFECYCLE : List.of("--controllers=" + CONTROLLERS));
    controllerManager = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void linkBinaries(Path dir) {
    try {
      Files.createDirectories(dir);
      link(dir.resolve("kube-apiserver"), Binaries.kubernetes("kube-apiserver"));
      link(dir.resolve("kubectl"), Binaries.kubernetes("kubectl"));
      link(dir.resolve("etcd"), Binaries.etcd("etcd"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void link(Path link, Path target) throws IOException {
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (controllerManager != null) {
      controllerManager.destroy();
      try {
        if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
          controllerManager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    apiServer.stop();
  }
}
