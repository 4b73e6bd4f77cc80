package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.BringYourOwnTls;
import io.etcdplatform.api.v1alpha1.CertManagerIssuerReference;
import io.etcdplatform.api.v1alpha1.CertManagerTls;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSecretReference;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.Clusters;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.etcdplatform.tls.CertificateAuthority;
import io.etcdplatform.tls.CertificateUsage;
import io.etcdplatform.tls.ClusterCertificates;
import io.etcdplatform.tls.IssuedCertificate;
import io.etcdplatform.tls.LeafRequest;
import io.etcdplatform.tls.ServingNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Certificates from Secrets the operator does not make (a person's own; cert-manager's, against
 * cert-manager's real CRDs), against a real kube-apiserver: projected once valid, refused with a
 * condition naming the field while invalid, and nothing rolled while refused.
 */
class ProvidedTlsApiServerTest extends OperatorApiServerTest {

  private final Instant now = Instant.now();
  private final CertificateAuthority clientCa = CertificateAuthority.create("byo client CA", now.minusSeconds(3600),
      now.plus(Duration.ofDays(30)));
  private final CertificateAuthority peerCa = CertificateAuthority.create("byo peer CA", now.minusSeconds(3600),
      now.plus(Duration.ofDays(30)));

  @Test
  void validOwnCertificatesAreProjectedAndABrokenOneStopsThePassWithNothingRolled() {
    String name = "byo-a";
    secret(name + "-server", serving(name, clientCa));
    secret(name + "-peer", serving(name, peerCa));
    secret(name + "-op", client(clientCa));
    client.resource(byoCluster(name)).create();

    await().atMost(TIMEOUT).until(
        () -> client.apps().statefulSets().inNamespace(namespace).withName(name).get(), s -> s != null);
    Secret member = client.secrets().inNamespace(namespace).withName(name + "-tls-member").get();
    assertThat(text(member, "server.crt")).isEqualTo(text(get(name + "-server"), "tls.crt"));
    assertThat(text(member, "peer-ca.crt")).isEqualTo(text(get(name + "-peer"), "ca.crt"));
    assertThat(text(client.secrets().inNamespace(namespace).withName(name + "-tls-operator").get(), "tls.crt"))
        .isEqualTo(text(get(name + "-op"), "tls.crt"));
    assertThat(client.secrets().inNamespace(namespace).withName(name + "-tls-ca").get()).as("no authority kept").isNull();

    // the client plane's certificate is replaced by one another authority signed
    CertificateAuthority stranger = CertificateAuthority.create("stranger", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    Map<String, String> foreign = serving(name, stranger);
    foreign.put("ca.crt", clientCa.certificate().certificatePem());
    secret(name + "-server", foreign);

    EtcdCluster refused = Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName(name), TIMEOUT,
        c -> c.getStatus() != null && "TlsInvalid".equals(progressing(c).getReason()));
    assertThat(progressing(refused).getStatus()).isEqualTo("False");
    assertThat(progressing(refused).getMessage()).startsWith("spec.tls.bringYourOwn.client.secretName: Secret byo-a-server: "
        + "tls.crt (CN=byo-a, issued by CN=stranger) is not signed by any authority in its ca.crt (CN=byo client CA); "
        + "fix Secret byo-a-server or name another in spec.tls.bringYourOwn.client.secretName");
    Event event = await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "TlsInvalid".equals(e.getReason()))
        .findFirst().orElse(null), e -> e != null);
    assertThat(event.getType()).isEqualTo("Warning");

    // nothing rolled: a spec change waits, the members' Secret and the StatefulSet stay as they were
    StatefulSet before = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    Edits.edit(client.resources(EtcdCluster.class).inNamespace(namespace).withName(name), c -> {
      c.getSpec().getEtcd().setSnapshotCount(5000L);
      return c;
    });
    Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName(name), TIMEOUT,
        c -> Clusters.reconciled(c) && "TlsInvalid".equals(progressing(c).getReason()));
    assertThat(client.secrets().inNamespace(namespace).withName(name + "-tls-member").get().getMetadata().getResourceVersion())
        .isEqualTo(member.getMetadata().getResourceVersion());
    StatefulSet after = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
  }

  @Test
  void aMissingSecretIsRefusedBeforeAnythingIsCreated() {
    String name = "byo-b";
    secret(name + "-server", serving(name, clientCa));
    secret(name + "-peer", serving(name, peerCa));
    client.resource(byoCluster(name)).create();

    EtcdCluster refused = Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName(name), TIMEOUT,
        c -> c.getStatus() != null && "TlsInvalid".equals(progressing(c).getReason()));
    assertThat(progressing(refused).getMessage()).startsWith("spec.tls.bringYourOwn.operator.secretName: Secret byo-b-op "
        + "does not exist in namespace " + namespace + ";");
    assertThat(client.apps().statefulSets().inNamespace(namespace).withName(name).get()).isNull();
    assertThat(client.secrets().inNamespace(namespace).withName(name + "-tls-member").get()).isNull();

    secret(name + "-op", client(clientCa));
    await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(namespace).withName(name).get() != null);
  }

  @Test
  void certManagerCertificatesAreAcceptedByItsRealCrdsAndItsSecretsServeOnceWritten() throws Exception {
    for (String file : List.of("cert-manager.io_certificates.yaml")) {
      try (InputStream in = Files.newInputStream(Binaries.certManagerCrd(file))) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        client.resource(crd).forceConflicts().serverSideApply();
        Waits.until(client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()),
            Duration.ofSeconds(30), c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())));
      }
    }
    String name = "cm-a";
    EtcdCluster cluster = tlsCluster(name);
    cluster.getSpec().getTls().setSource(TlsSpec.Source.CertManager);
    CertManagerTls certManager = new CertManagerTls();
    certManager.setIssuerRef(new CertManagerIssuerReference("etcd-ca", CertManagerIssuerReference.Kind.ClusterIssuer));
    cluster.getSpec().getTls().setCertManager(certManager);
    client.resource(cluster).create();

    EtcdCluster waiting = Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName(name), TIMEOUT,
        c -> c.getStatus() != null && "WaitingForCertificates".equals(progressing(c).getReason()));
    assertThat(progressing(waiting).getStatus()).isEqualTo("True");
    assertThat(progressing(waiting).getMessage()).startsWith("waiting for cert-manager to issue Certificate cm-a-cm-server, "
        + "Certificate cm-a-cm-peer, Certificate cm-a-cm-operator");
    List<GenericKubernetesResource> certificates = client.genericKubernetesResources("cert-manager.io/v1", "Certificate")
        .inNamespace(namespace).list().getItems();
    assertThat(names(certificates)).containsExactly("cm-a-cm-operator", "cm-a-cm-peer", "cm-a-cm-server");
    assertThat(client.apps().statefulSets().inNamespace(namespace).withName(name).get()).isNull();
    assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .noneMatch(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()));

    // what cert-manager's CA issuer writes: the leaf and its authority in tls.crt, the authority in ca.crt
    for (String secret : List.of("cm-a-cm-server", "cm-a-cm-peer")) {
      Map<String, String> data = serving(name, clientCa);
      data.put("tls.crt", data.get("tls.crt") + clientCa.certificate().certificatePem());
      secret(secret, data);
    }
    secret("cm-a-cm-operator", client(clientCa));
    await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(namespace).withName(name).get() != null);
    assertThat(text(client.secrets().inNamespace(namespace).withName("cm-a-tls-member").get(), "server.crt"))
        .isEqualTo(text(get("cm-a-cm-server"), "tls.crt"));
  }

  private EtcdCluster byoCluster(String name) {
    EtcdCluster cluster = tlsCluster(name);
    cluster.getSpec().getTls().setSource(TlsSpec.Source.BringYourOwn);
    BringYourOwnTls own = new BringYourOwnTls();
    own.setClient(new TlsSecretReference(name + "-server"));
    own.setPeer(new TlsSecretReference(name + "-peer"));
    own.setOperator(new TlsSecretReference(name + "-op"));
    cluster.getSpec().getTls().setBringYourOwn(own);
    return cluster;
  }

  private static EtcdCluster tlsCluster(String name) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(namespace);
    cluster.getSpec().setReplicas(1);
    cluster.getSpec().setTls(new TlsSpec());
    return cluster;
  }

  private Map<String, String> serving(String cluster, CertificateAuthority authority) {
    IssuedCertificate issued = authority.issue(new LeafRequest(cluster, CertificateUsage.SERVER_AND_CLIENT,
        ServingNames.dnsNames(cluster, namespace, "cluster.local"), ServingNames.ipAddresses(), now.minusSeconds(60),
        now.plus(Duration.ofDays(7))));
    return new java.util.HashMap<>(Map.of("tls.crt", issued.certificatePem(), "tls.key", issued.keyPem(),
        "ca.crt", authority.certificate().certificatePem()));
  }

  private Map<String, String> client(CertificateAuthority authority) {
    IssuedCertificate issued = authority.issue(LeafRequest.client(ClusterCertificates.OPERATOR_IDENTITY, now.minusSeconds(60),
        now.plus(Duration.ofDays(7))));
    return new java.util.HashMap<>(Map.of("tls.crt", issued.certificatePem(), "tls.key", issued.keyPem(),
        "ca.crt", authority.certificate().certificatePem()));
  }

  private static void secret(String name, Map<String, String> data) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("kubernetes.io/tls").withStringData(data).build()).forceConflicts().serverSideApply();
  }

  private static Secret get(String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static Condition progressing(EtcdCluster cluster) {
    Condition condition = Conditions.find(cluster.getStatus().getConditions(), Conditions.PROGRESSING);
    return condition != null ? condition : new Condition();
  }
}
