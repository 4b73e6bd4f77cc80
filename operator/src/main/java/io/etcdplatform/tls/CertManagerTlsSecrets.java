package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CertManager cluster's certificates: its {@link CertManagerCertificates} applied (server-side,
 * so an unchanged one is no write), then the Secrets cert-manager wrote validated and copied as a
 * person's own would be. Until cert-manager has written all three the pass waits.
 */
final class CertManagerTlsSecrets {

  private static final String FIELD = "spec.tls.certManager.issuerRef";

  private CertManagerTlsSecrets() {}

  static ClientTls ensure(EtcdCluster cluster, KubernetesClient client, Instant now) {
    List<String> waiting = new ArrayList<>();
    for (GenericKubernetesResource certificate : CertManagerCertificates.build(cluster)) {
      GenericKubernetesResource applied = apply(client, certificate);
      String secret = certificate.getMetadata().getName();
      Map<String, String> data = TlsSecrets.readOrNull(client, cluster, secret);
      if (data == null || !data.containsKey(ProvidedCertificates.CERTIFICATE)) {
        waiting.add("Certificate " + secret + readiness(applied));
      }
    }
    if (!waiting.isEmpty()) {
      throw new TlsPendingException("waiting for cert-manager to issue " + String.join(", ", waiting)
          + " (kubectl describe certificate -n " + cluster.getMetadata().getNamespace() + ")");
    }
    return ProvidedTlsSecrets.project(cluster, client, new BringYourOwnSources.Sources(
        source(cluster, client, ClusterNames.certManagerServerSecret(cluster)),
        source(cluster, client, ClusterNames.certManagerPeerSecret(cluster)),
        source(cluster, client, ClusterNames.certManagerOperatorSecret(cluster))), now);
  }

  private static GenericKubernetesResource apply(KubernetesClient client, GenericKubernetesResource certificate) {
    try {
      return client.genericKubernetesResources(CertManagerCertificates.API_VERSION, CertManagerCertificates.KIND)
          .inNamespace(certificate.getMetadata().getNamespace()).resource(certificate).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new TlsMaterialException(FIELD + ": the API server serves no " + CertManagerCertificates.API_VERSION
            + " Certificate; install cert-manager (its CRDs and controller) or choose another spec.tls.source");
      }
      String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
      throw new TlsMaterialException(FIELD + ": the API server refused Certificate " + certificate.getMetadata().getName()
          + ": " + reason);
    }
  }

  /** The Ready condition's message cert-manager wrote, when it says why nothing was issued yet. */
  @SuppressWarnings("unchecked")
  private static String readiness(GenericKubernetesResource certificate) {
    if (certificate == null || !(certificate.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return "";
    }
    for (Object condition : conditions) {
      if (condition instanceof Map<?, ?> c && "Ready".equals(c.get("type")) && c.get("message") != null) {
        return " (" + c.get("message") + ")";
      }
    }
    return "";
  }

  private static ProvidedCertificates.Source source(EtcdCluster cluster, KubernetesClient client, String secret) {
    return new ProvidedCertificates.Source(FIELD, secret, TlsSecrets.readOrNull(client, cluster, secret),
        "cert-manager wrote Secret " + secret + " for Certificate " + secret + ": check its issuer (kubectl describe "
            + "certificate " + secret + "); members keep serving the certificates they have");
  }
}
