package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.ClientTls;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/**
 * A TLS cluster's Secrets from where its spec.tls.source says the certificates come from. Whatever
 * the source, the members mount {@code <c>-tls-member} and the operator reads {@code <c>-tls-operator}
 * in the same layout, so nothing downstream knows the source.
 */
public final class TlsSources {

  private TlsSources() {}

  /**
   * @throws TlsMaterialException when the certificates cannot serve (nothing is written)
   * @throws TlsPendingException while cert-manager has not issued them yet
   */
  public static ClientTls ensure(EtcdCluster cluster, KubernetesClient client, Instant now) {
    return switch (cluster.getSpec().getTls().getSource()) {
      case OperatorManaged -> TlsSecrets.ensure(cluster, client, now);
      case BringYourOwn -> ProvidedTlsSecrets.project(cluster, client, BringYourOwnSources.read(cluster, client), now);
      case CertManager -> CertManagerTlsSecrets.ensure(cluster, client, now);
    };
  }
}
