package io.etcdplatform.e2e;

import io.etcdplatform.Main;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.testing.Binaries;
import io.etcdplatform.testing.KubeControlPlane;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * `make demo`: a real kube-apiserver (with kube-controller-manager) on loopback, the CRDs and the
 * operator in it, then examples/etcd-cluster.yaml applied with kubectl as a person would, and the
 * objects the operator created printed. Holds until Ctrl-C unless -Ddemo.hold=false.
 */
public final class Demo {

  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path root = Binaries.repositoryRoot();
    boolean hold = Boolean.parseBoolean(System.getProperty("demo.hold", "true"));
    say("starting kube-apiserver " + Binaries.kubernetesVersion() + " and kube-controller-manager on 127.0.0.1");
    try (KubeControlPlane controlPlane = KubeControlPlane.start(root.resolve(".demo/control-plane"))) {
      Kubectl kubectl = new Kubectl(controlPlane.kubeconfig(), root);
      say("kubectl apply -f crds/");
      kubectl.run("apply", "--server-side", "-f", "crds/");
      kubectl.run("wait", "--for=condition=Established", "--timeout=60s", "crd/etcdclusters.etcdplatform.io");

      OperatorConfig config = OperatorConfig.from(Map.of("HTTP_PORT", "0", "PROGRESS_INTERVAL_SECONDS", "2"));
      try (Main.RunningOperator operator = Main.start(config, Config.fromKubeconfig(controlPlane.kubeconfigYaml()))) {
        say("operator started; metrics at http://127.0.0.1:" + operator.http().port() + "/metrics");
        say("kubectl apply -f examples/etcd-cluster.yaml");
        kubectl.run("apply", "-f", "examples/etcd-cluster.yaml");
        kubectl.waitFor(Duration.ofSeconds(60), "get", "statefulset/example", "service/example-peer",
            "service/example-client", "poddisruptionbudget/example", "configmap/example-bootstrap");
        say("what the operator created:");
        System.out.println(kubectl.run("get", "etcdclusters,statefulsets,services,poddisruptionbudgets,configmaps",
            "-l", "app.kubernetes.io/instance=example", "-o", "wide"));
        System.out.println(kubectl.run("get", "etcdcluster", "example"));
        if (hold) {
          say("try: kubectl --kubeconfig " + controlPlane.kubeconfig() + " get ec example -o yaml");
          say("running; Ctrl-C stops the operator and the control plane");
          CountDownLatch forever = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
          forever.await();
        }
      }
    }
  }

  private static void say(String line) {
    System.out.println("==> " + line);
  }
}
