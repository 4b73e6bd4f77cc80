package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS cluster's Secrets, kept as {@link ClusterCertificates} plans them: read, and written only
 * where their contents change. Nothing is mounted before it exists, so this runs before any owned
 * object is applied; the operator's client identity it returns is how the pass reaches the members.
 */
public final class TlsSecrets {

  static final String COMPONENT = "tls";
  private static final Logger log = LoggerFactory.getLogger(TlsSecrets.class);

  private TlsSecrets() {}

  public static ClientTls ensure(EtcdCluster cluster, KubernetesClient client, Instant now) {
    String authorities = ClusterNames.tlsAuthoritiesSecret(cluster);
    String member = ClusterNames.memberTlsSecret(cluster);
    String operator = ClusterNames.operatorTlsSecret(cluster);
    var current = new ClusterCertificates.Contents(read(client, cluster, authorities), read(client, cluster, member),
        read(client, cluster, operator));
    var plan = ClusterCertificates.plan(settings(cluster), current, authorities, now);
    write(client, cluster, authorities, current.authorities(), plan.desired().authorities());
    write(client, cluster, member, current.member(), plan.desired().member());
    write(client, cluster, operator, current.operator(), plan.desired().operator());
    return plan.operator();
  }

  /** The operator's identity as its Secret holds it, without writing anything (the backups' controller); empty without TLS. */
  public static Optional<ClientTls> operatorIdentity(EtcdCluster cluster, KubernetesClient client) {
    if (!cluster.getSpec().tlsEnabled()) {
      return Optional.empty();
    }
    Map<String, String> data = read(client, cluster, ClusterNames.operatorTlsSecret(cluster));
    if (!data.keySet().containsAll(List.of(ClusterCertificates.OPERATOR_AUTHORITY,
        ClusterCertificates.OPERATOR_CERTIFICATE, ClusterCertificates.OPERATOR_KEY))) {
      return Optional.empty();
    }
    return Optional.of(new ClientTls(data.get(ClusterCertificates.OPERATOR_AUTHORITY),
        data.get(ClusterCertificates.OPERATOR_CERTIFICATE), data.get(ClusterCertificates.OPERATOR_KEY)));
  }

  private static TlsSettings settings(EtcdCluster cluster) {
    TlsSpec tls = cluster.getSpec().getTls();
    return new TlsSettings(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace(), tls.getClusterDomain(),
        Duration.ofHours(tls.getCertificateValidityHours()), Duration.ofHours(tls.getRenewBeforeHours()),
        Duration.ofHours(tls.getAuthorityValidityHours()));
  }

  /** A Secret's data as text; {@code null} when the Secret does not exist. */
  static Map<String, String> readOrNull(KubernetesClient client, EtcdCluster cluster, String name) {
    Secret secret = client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(name).get();
    return secret == null ? null : read(client, cluster, name);
  }

  static Map<String, String> read(KubernetesClient client, EtcdCluster cluster, String name) {
    Secret secret = client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(name).get();
    Map<String, String> data = new TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((key, value) ->
          data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII)));
    }
    return data;
  }

  static void write(KubernetesClient client, EtcdCluster cluster, String name, Map<String, String> current,
      Map<String, String> desired) {
    if (Objects.equals(new TreeMap<>(current), new TreeMap<>(desired))) {
      return;
    }
    Map<String, String> data = new TreeMap<>();
    desired.forEach((key, value) -> data.put(key,
        Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.US_ASCII))));
    Secret secret = new SecretBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, name, COMPONENT))
        .editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
            .withKind(cluster.getKind()).withName(cluster.getMetadata().getName())
            .withUid(cluster.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
    client.resource(secret).forceConflicts().serverSideApply();
    log.info("{}/{}: Secret {} written ({})", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
        name, current.isEmpty() ? "created" : "certificates renewed");
  }
}
