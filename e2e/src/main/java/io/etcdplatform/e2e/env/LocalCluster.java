package io.etcdplatform.e2e.env;

import io.etcdplatform.testkit.Directories;
import io.etcdplatform.testkit.KubeControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local Kubernetes environment: a real control plane (etcd, kube-apiserver on 127.0.0.1,
 * kube-controller-manager) and the {@link NodeAgent} that runs pods as local processes.
 */
public final class LocalCluster implements AutoCloseable {

  private final KubeControlPlane controlPlane;
  private final KubernetesClient client;
  private final NodeAgent agent;
  private final Path workDir;

  private LocalCluster(KubeControlPlane controlPlane, KubernetesClient client, NodeAgent agent, Path workDir) {
    this.controlPlane = controlPlane;
    this.client = client;
    this.agent = agent;
    this.workDir = workDir;
  }

  /**
   * Starts a fresh environment in {@code workDir}, deleting what an earlier one left there;
   * {@link #close()} deletes its data again (pod volumes, the control plane's etcd), keeping the logs.
   */
  public static LocalCluster start(Path workDir) throws IOException {
    return start(workDir, 1);
  }

  /**
   * The same with {@code nodes} Nodes ({@code node-0}, ...); with more than one, the control plane
   * also runs the node-lifecycle and taint-eviction controllers, so a Node the agent loses is
   * marked unreachable and its pods evicted as in a real cluster (one Node stays the default: every
   * other suite runs as before, without heartbeat deadlines on a loaded machine).
   */
  public static LocalCluster start(Path workDir, int nodes) throws IOException {
    Directories.deleteRecursively(workDir);
    KubeControlPlane controlPlane = KubeControlPlane.start(workDir.resolve("control-plane"), nodes > 1);
    KubernetesClient client = controlPlane.newClient();
    List<String> names = nodes == 1 ? List.of(NodeAgent.NODE)
        : java.util.stream.IntStream.range(0, nodes).mapToObj(i -> "node-" + i).toList();
    try {
      return new LocalCluster(controlPlane, client,
          new NodeAgent(client, workDir.resolve("node"), controlPlane.caCertificate(), names), workDir);
    } catch (IOException | RuntimeException e) {
      client.close();
      controlPlane.close();
      throw e;
    }
  }

  public KubeControlPlane controlPlane() {
    return controlPlane;
  }

  public KubernetesClient client() {
    return client;
  }

  public NodeAgent agent() {
    return agent;
  }

  /**
   * A kubeconfig with a token of a service account (TokenRequest, valid for {@code lifetime}):
   * whoever uses it has exactly the rights RBAC grants that account.
   */
  public Path kubeconfigFor(String namespace, String serviceAccount, Duration lifetime, Path file) throws IOException {
    TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(lifetime.toSeconds())
        .endSpec().build();
    String token = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request)
        .getStatus().getToken();
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: local, cluster: {server: "%s", certificate-authority: "%s"}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: local, context: {cluster: local, user: %s, namespace: %s}}]
        current-context: local
        """.formatted(client.getMasterUrl(), controlPlane.caCertificate(), serviceAccount, token, serviceAccount,
        namespace));
    return file;
  }

  @Override
  public void close() {
    agent.close();
    client.close();
    controlPlane.close();
    Directories.deleteAllButLogs(workDir);
  }
}
