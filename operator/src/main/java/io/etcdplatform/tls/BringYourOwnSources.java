package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.BringYourOwnTls;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The Secrets spec.tls.bringYourOwn names, read as they are. */
final class BringYourOwnSources {

  static final String FIELD = "spec.tls.bringYourOwn.";

  private BringYourOwnSources() {}

  record Sources(ProvidedCertificates.Source client, ProvidedCertificates.Source peer, ProvidedCertificates.Source operator) {}

  static Sources read(EtcdCluster cluster, KubernetesClient client) {
    BringYourOwnTls own = cluster.getSpec().getTls().getBringYourOwn();
    return new Sources(source(cluster, client, "client", own.getClient().getSecretName()),
        source(cluster, client, "peer", own.getPeer().getSecretName()),
        source(cluster, client, "operator", own.getOperator().getSecretName()));
  }

  private static ProvidedCertificates.Source source(EtcdCluster cluster, KubernetesClient client, String plane, String secret) {
    String field = FIELD + plane + ".secretName";
    return new ProvidedCertificates.Source(field, secret, TlsSecrets.readOrNull(client, cluster, secret),
        "fix Secret " + secret + " or name another in " + field + " (see docs/tls.md, \"Your own certificates\"); "
            + "members keep serving the certificates they have");
  }
}
