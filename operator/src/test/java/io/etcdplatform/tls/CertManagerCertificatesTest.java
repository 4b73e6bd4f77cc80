package io.etcdplatform.tls;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.CertManagerIssuerReference;
import io.etcdplatform.api.v1alpha1.CertManagerTls;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertManagerCertificatesTest {

  @Test
  void theMembersServingCertificatesNameEveryWayTheyAreReachedAndServeAndDial() {
    List<GenericKubernetesResource> certificates = CertManagerCertificates.build(certManaged(null));

    assertThat(certificates).extracting(c -> c.getMetadata().getName()).containsExactly("main-cm-server", "main-cm-peer",
        "main-cm-operator");
    certificates.forEach(c -> {
      assertThat(c.getApiVersion()).isEqualTo("cert-manager.io/v1");
      assertThat(c.getKind()).isEqualTo("Certificate");
      assertThat(c.getMetadata().getNamespace()).isEqualTo("ns");
      assertThat(c.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("0123abcd-4567-89ef-0123-456789abcdef"));
    });
    Map<String, Object> server = spec(certificates.get(0));
    assertThat(server.get("secretName")).isEqualTo("main-cm-server");
    assertThat(server.get("dnsNames")).isEqualTo(List.of("*.main-peer.ns.svc", "*.main-peer.ns.svc.cluster.local",
        "main-client", "main-client.ns", "main-client.ns.svc", "main-client.ns.svc.cluster.local", "localhost"));
    assertThat(server.get("ipAddresses")).isEqualTo(List.of("127.0.0.1", "::1"));
    assertThat(server.get("usages")).isEqualTo(List.of("digital signature", "key encipherment", "server auth", "client auth"));
    assertThat(server.get("duration")).isEqualTo("2160h");
    assertThat(server.get("renewBefore")).isEqualTo("720h");
    assertThat(server.get("privateKey")).isEqualTo(Map.of("algorithm", "ECDSA", "size", 256, "encoding", "PKCS8",
        "rotationPolicy", "Always"));
    assertThat(server.get("issuerRef")).isEqualTo(Map.of("name", "etcd-ca", "kind", "Issuer", "group", "cert-manager.io"));
    assertThat(spec(certificates.get(1)).get("dnsNames")).isEqualTo(server.get("dnsNames"));
    assertThat(spec(certificates.get(1)).get("usages")).isEqualTo(server.get("usages"));
  }

  @Test
  void theOperatorsCertificateOnlyDialsUnderItsIdentity() {
    Map<String, Object> operator = spec(CertManagerCertificates.build(certManaged(null)).get(2));

    assertThat(operator.get("commonName")).isEqualTo("etcd-platform-operator");
    assertThat(operator.get("usages")).isEqualTo(List.of("digital signature", "client auth"));
    assertThat(operator).doesNotContainKeys("dnsNames", "ipAddresses");
    assertThat(operator.get("secretName")).isEqualTo("main-cm-operator");
  }

  @Test
  void aPeerIssuerOfItsOwnSignsOnlyThePeerCertificate() {
    List<GenericKubernetesResource> certificates = CertManagerCertificates.build(
        certManaged(new CertManagerIssuerReference("peer-ca", CertManagerIssuerReference.Kind.ClusterIssuer)));

    assertThat(spec(certificates.get(0)).get("issuerRef")).isEqualTo(Map.of("name", "etcd-ca", "kind", "Issuer", "group", "cert-manager.io"));
    assertThat(spec(certificates.get(1)).get("issuerRef"))
        .isEqualTo(Map.of("name", "peer-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"));
    assertThat(spec(certificates.get(2)).get("issuerRef")).isEqualTo(spec(certificates.get(0)).get("issuerRef"));
  }

  private static EtcdCluster certManaged(CertManagerIssuerReference peerIssuer) {
    EtcdCluster cluster = cluster("main", 3);
    cluster.setApiVersion("etcdplatform.io/v1alpha1");
    TlsSpec tls = new TlsSpec();
    tls.setSource(TlsSpec.Source.CertManager);
    CertManagerTls certManager = new CertManagerTls();
    certManager.setIssuerRef(new CertManagerIssuerReference("etcd-ca", CertManagerIssuerReference.Kind.Issuer));
    certManager.setPeerIssuerRef(peerIssuer);
    tls.setCertManager(certManager);
    cluster.getSpec().setTls(tls);
    return cluster;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource certificate) {
    return (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
  }
}
