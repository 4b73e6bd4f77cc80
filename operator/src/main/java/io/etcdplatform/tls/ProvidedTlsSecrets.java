package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;

/**
 * Certificates from Secrets the operator does not make, validated by {@link ProvidedCertificates} and,
 * once valid, copied into the Secrets the members mount and the operator reads (written only when
 * their contents change). A refusal writes nothing, so the members keep what they serve.
 */
final class ProvidedTlsSecrets {

  private ProvidedTlsSecrets() {}

  static ClientTls project(EtcdCluster cluster, KubernetesClient client, BringYourOwnSources.Sources sources, Instant now) {
    String name = cluster.getMetadata().getName();
    String namespace = cluster.getMetadata().getNamespace();
    var request = new ProvidedCertificates.Request(namespace,
        ProvidedCertificates.memberHosts(name, namespace, cluster.getSpec().getReplicas()),
        ProvidedCertificates.clientHosts(name, namespace), sources.client(), sources.peer(), sources.operator());
    ProvidedCertificates.Projection projection = ProvidedCertificates.validate(request, now);
    write(cluster, client, ClusterNames.memberTlsSecret(cluster), projection.member());
    write(cluster, client, ClusterNames.operatorTlsSecret(cluster), projection.operator());
    return projection.operatorIdentity();
  }

  private static void write(EtcdCluster cluster, KubernetesClient client, String secret, Map<String, String> desired) {
    TlsSecrets.write(client, cluster, secret, TlsSecrets.read(client, cluster, secret), desired);
  }
}
