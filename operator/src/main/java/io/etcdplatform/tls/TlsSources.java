package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsStatus;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterEvents;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * A TLS cluster's Secrets from where its spec.tls.source says the certificates come from. Whatever
 * the source, the members mount {@code <c>-tls-member} and the operator reads {@code <c>-tls-operator}
 * in the same layout, so nothing downstream knows the source.
 */
public final class TlsSources {

  private TlsSources() {}

  /**
   * @param pods the member pods: how far they are in a rotation of the operator's own authorities
   * @param events where each rotation step is recorded
   * @throws TlsMaterialException when the certificates cannot serve (nothing is written)
   * @throws TlsPendingException while cert-manager has not issued them yet
   */
  public static TlsSecrets.Outcome ensure(EtcdCluster cluster, KubernetesClient client, Instant now,
      Collection<Pod> pods, Optional<ClusterEvents> events) {
    return switch (cluster.getSpec().getTls().getSource()) {
      case OperatorManaged -> TlsSecrets.ensure(cluster, client, now, pods, events);
      case BringYourOwn -> provided(ProvidedTlsSecrets.project(cluster, client, BringYourOwnSources.read(cluster, client),
          now));
      case CertManager -> provided(CertManagerTlsSecrets.ensure(cluster, client, now));
    };
  }

  /** Authorities the operator does not hold: it rotates none of them (status.tls lists no plane). */
  private static TlsSecrets.Outcome provided(ClientTls operator) {
    return new TlsSecrets.Outcome(operator, null, new TlsStatus());
  }
}
