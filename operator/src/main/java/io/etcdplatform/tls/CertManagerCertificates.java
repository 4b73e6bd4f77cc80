package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.CertManagerIssuerReference;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure: the cert-manager {@code Certificate} objects (cert-manager.io/v1, built as generic resources:
 * no cert-manager library) a CertManager cluster owns: the members' client-plane certificate (every
 * name a client or member uses, serverAuth and clientAuth), their peer-plane certificate, and the
 * operator's client certificate (clientAuth only). Keys are ECDSA P-256 in PKCS#8, which etcd and
 * Netty (jetcd) both read, made anew at every renewal.
 */
public final class CertManagerCertificates {

  public static final String API_VERSION = "cert-manager.io/v1";
  public static final String KIND = "Certificate";
  static final String COMPONENT = "tls";
  private static final List<String> SERVING_USAGES = List.of("digital signature", "key encipherment", "server auth", "client auth");
  private static final List<String> CLIENT_USAGES = List.of("digital signature", "client auth");

  private CertManagerCertificates() {}

  public static List<GenericKubernetesResource> build(EtcdCluster cluster) {
    TlsSpec tls = cluster.getSpec().getTls();
    String name = cluster.getMetadata().getName();
    String namespace = cluster.getMetadata().getNamespace();
    List<String> dnsNames = ServingNames.dnsNames(name, namespace, tls.getClusterDomain());
    Map<String, Object> server = serving(cluster, ClusterNames.certManagerServerSecret(cluster), dnsNames,
        tls.getCertManager().getIssuerRef());
    Map<String, Object> peer = serving(cluster, ClusterNames.certManagerPeerSecret(cluster), dnsNames,
        tls.getCertManager().peerIssuer());
    Map<String, Object> operator = spec(cluster, ClusterNames.certManagerOperatorSecret(cluster),
        tls.getCertManager().getIssuerRef());
    operator.put("commonName", ClusterCertificates.OPERATOR_IDENTITY);
    operator.put("usages", CLIENT_USAGES);
    return List.of(certificate(cluster, ClusterNames.certManagerServerSecret(cluster), server),
        certificate(cluster, ClusterNames.certManagerPeerSecret(cluster), peer),
        certificate(cluster, ClusterNames.certManagerOperatorSecret(cluster), operator));
  }

  private static Map<String, Object> serving(EtcdCluster cluster, String secret, List<String> dnsNames,
      CertManagerIssuerReference issuer) {
    Map<String, Object> spec = spec(cluster, secret, issuer);
    spec.put("commonName", cluster.getMetadata().getName());
    spec.put("dnsNames", dnsNames);
    spec.put("ipAddresses", ServingNames.ipAddresses());
    spec.put("usages", SERVING_USAGES);
    return spec;
  }

  private static Map<String, Object> spec(EtcdCluster cluster, String secret, CertManagerIssuerReference issuer) {
    TlsSpec tls = cluster.getSpec().getTls();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("secretName", secret);
    spec.put("secretTemplate", Map.of("labels", ClusterLabels.of(cluster, COMPONENT)));
    spec.put("duration", tls.getCertificateValidityHours() + "h");
    spec.put("renewBefore", tls.getRenewBeforeHours() + "h");
    spec.put("privateKey", Map.of("algorithm", "ECDSA", "size", 256, "encoding", "PKCS8", "rotationPolicy", "Always"));
    spec.put("issuerRef", Map.of("name", issuer.getName(), "kind", issuer.getKind().name(), "group", issuer.getGroup()));
    return spec;
  }

  private static GenericKubernetesResource certificate(EtcdCluster cluster, String name, Map<String, Object> spec) {
    GenericKubernetesResource certificate = new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withMetadata(ClusterLabels.metadata(cluster, name, COMPONENT))
        .editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
            .withKind(cluster.getKind()).withName(cluster.getMetadata().getName())
            .withUid(cluster.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .build();
    certificate.setAdditionalProperty("spec", spec);
    return certificate;
  }
}
