package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spec.tls.source CertManager on the local environment with cert-manager's real controller (built from
 * the Go module proxy, run as a local process against the local API server, no webhook or cainjector):
 * a self-signed ClusterIssuer makes a CA, a CA Issuer signs the cluster's certificates, the cluster runs
 * over mutual TLS, and the operator's cert-manager-issued client certificate reads and writes. The
 * operator's default NetworkPolicy is on: its object and rules are checked (nothing here enforces one).
 */
class CertManagerEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Path OPERATOR_LOG = Path.of("target", "operator-cert-manager.log").toAbsolutePath();
  private static final Path CERT_MANAGER_LOG = Path.of("target", "cert-manager.log").toAbsolutePath();
  private static final String CLIENT_URL = "https://issued-client.default.svc:2379";
  private static LocalCluster env;
  private static OperatorProcess operator;
  private static Process certManager;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    for (String crd : List.of("cert-manager.io_certificates.yaml", "cert-manager.io_certificaterequests.yaml",
        "cert-manager.io_issuers.yaml", "cert-manager.io_clusterissuers.yaml")) {
      try (InputStream in = Files.newInputStream(Binaries.certManagerCrd(crd))) {
        CustomResourceDefinition definition = Serialization.unmarshal(in, CustomResourceDefinition.class);
        env.client().resource(definition).forceConflicts().serverSideApply();
        Waits.until(env.client().apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName()),
            Duration.ofSeconds(30), c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())));
      }
    }
    Files.deleteIfExists(CERT_MANAGER_LOG);
    certManager = new ProcessBuilder(Binaries.certManagerController().toString(),
        "--kubeconfig=" + env.controlPlane().kubeconfig(), "--leader-elect=false",
        "--certificate-request-minimum-backoff-duration=5s")
        .redirectErrorStream(true).redirectOutput(CERT_MANAGER_LOG.toFile()).start();
    Files.deleteIfExists(OPERATOR_LOG);
    operator = OperatorProcess.startAsChartAccount(env, work, Map.of("DEFAULT_NETWORK_POLICY", "true"), OPERATOR_LOG);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
    if (certManager != null) {
      certManager.destroy();
      if (!certManager.waitFor(20, TimeUnit.SECONDS)) {
        certManager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void aClusterFromCertManagerRunsOverMutualTlsAndItsIssuedClientCertificateWorks() throws Exception {
    env.client().load(new ByteArrayInputStream(ISSUERS.getBytes(StandardCharsets.UTF_8))).inNamespace("default")
        .serverSideApply();
    env.client().load(new ByteArrayInputStream(CLUSTER.getBytes(StandardCharsets.UTF_8))).inNamespace("default")
        .serverSideApply();

    EtcdCluster running = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdCluster.class).inNamespace("default").withName("issued"),
        c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.Running && "3/3".equals(c.getStatus().getReady()));
    assertThat(running.getStatus().getMembers()).hasSize(3);
    List<GenericKubernetesResource> certificates = env.client().genericKubernetesResources("cert-manager.io/v1", "Certificate")
        .inNamespace("default").list().getItems();
    assertThat(certificates).extracting(c -> c.getMetadata().getName())
        .contains("issued-cm-server", "issued-cm-peer", "issued-cm-operator");
    assertThat(text(secret("issued-tls-member"), "server.crt")).isEqualTo(text(secret("issued-cm-server"), "tls.crt"));

    // the client Service serves once the member pods are Ready (their readiness probe can trail Running)
    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> env.client().pods().inNamespace("default")
        .withLabel("app.kubernetes.io/instance", "issued").list().getItems().stream()
        .filter(p -> p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).count() == 3);
    // the operator's certificate as cert-manager wrote it, straight from its Secret
    Secret issued = secret("issued-cm-operator");
    ClientTls identity = new ClientTls(text(issued, "ca.crt"), text(issued, "tls.crt"), text(issued, "tls.key"));
    try (Client etcd = Client.builder().endpoints(URI.create(CLIENT_URL)).sslContext(identity.sslContext())
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      ByteSequence key = ByteSequence.from("issued-by", StandardCharsets.UTF_8);
      etcd.getKVClient().put(key, ByteSequence.from("cert-manager", StandardCharsets.UTF_8)).get(15, TimeUnit.SECONDS);
      assertThat(etcd.getKVClient().get(key).get(15, TimeUnit.SECONDS).getKvs().get(0).getValue()
          .toString(StandardCharsets.UTF_8)).isEqualTo("cert-manager");
    }

    NetworkPolicy policy = env.client().network().v1().networkPolicies().inNamespace("default").withName("issued").get();
    assertThat(policy).as("the operator's default policy for a TLS cluster").isNotNull();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "etcd", "app.kubernetes.io/instance", "issued"));
    assertThat(policy.getSpec().getIngress()).extracting(r -> r.getPorts().get(0).getPort().getIntVal())
        .containsExactly(2380, 2379, 2381);
    assertThat(policy.getSpec().getIngress().get(0).getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "issued"));
    assertThat(policy.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(running.getMetadata().getUid()));
    assertThat(Files.readString(OPERATOR_LOG)).doesNotContainIgnoringCase("forbidden");
  }

  private static Secret secret(String name) {
    return env.client().secrets().inNamespace("default").withName(name).get();
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static final String ISSUERS = """
      apiVersion: cert-manager.io/v1
      kind: ClusterIssuer
      metadata: {name: selfsigned}
      spec: {selfSigned: {}}
      ---
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata: {name: etcd-root, namespace: default}
      spec:
        isCA: true
        commonName: etcd root CA
        secretName: etcd-root
        privateKey: {algorithm: ECDSA, size: 256}
        issuerRef: {name: selfsigned, kind: ClusterIssuer, group: cert-manager.io}
      ---
      apiVersion: cert-manager.io/v1
      kind: Issuer
      metadata: {name: etcd-ca, namespace: default}
      spec: {ca: {secretName: etcd-root}}
      """;

  private static final String CLUSTER = """
      apiVersion: etcdplatform.io/v1alpha1
      kind: EtcdCluster
      metadata: {name: issued, namespace: default}
      spec:
        replicas: 3
        tls:
          source: CertManager
          certManager:
            issuerRef: {name: etcd-ca, kind: Issuer}
      """;
}
