package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.api.v1alpha1.TlsStatus;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.OwnedSecrets;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** How a handshake with a member is made: a deadline, so that a silent member costs one. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  public static final String ROTATION_EVENT = "AuthorityRotation";

  /**
   * What a pass takes from the TLS Secrets.
   *
   * @param operator the operator's client identity
   * @param trust the digest of the members' trust bundles: the pod template carries it, so a change restarts
   *     the members one at a time
   */
  public record Outcome(ClientTls operator, String trust, TlsStatus status) {

    /** A plane is in a rotation: the next pass comes soon, to take its next step. */
    public boolean rotating() {
      return status.getPlanes().stream().anyMatch(p -> !AuthorityRotation.Phase.Idle.name().equals(p.getPhase()));
    }
  }

  public static ClientTls ensure(EtcdCluster cluster, KubernetesClient client, Instant now) {
    return ensure(cluster, client, now, List.of(), Optional.empty()).operator();
  }

  /**
   * @param pods the member pods (the informer's cache): how far the members are in a rotation
   * @param events where each rotation step is recorded, once, when it is written
   */
  public static Outcome ensure(EtcdCluster cluster, KubernetesClient client, Instant now, Collection<Pod> pods,
      Optional<ClusterEvents> events) {
    String authorities = ClusterNames.tlsAuthoritiesSecret(cluster);
    String member = ClusterNames.memberTlsSecret(cluster);
    String operator = ClusterNames.operatorTlsSecret(cluster);
    var current = new ClusterCertificates.Contents(read(client, cluster, authorities), read(client, cluster, member),
        read(client, cluster, operator));
    var plan = ClusterCertificates.plan(settings(cluster), current, authorities, now, rotation(cluster, current, pods));
    write(client, cluster, authorities, current.authorities(), plan.desired().authorities());
    write(client, cluster, member, current.member(), plan.desired().member());
    write(client, cluster, operator, current.operator(), plan.desired().operator());
    for (var plane : plan.planes()) {
      if (plane.decision().action() != AuthorityRotation.Action.None) {
        log.info("{}/{}: {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
            plane.decision().message());
        events.ifPresent(e -> e.normal(cluster, ROTATION_EVENT, plane.decision().phase() + ": " + plane.decision().message()));
      }
    }
    return new Outcome(plan.operator(), plan.trust(), RotationStatus.of(plan.planes()));
  }

  private static ClusterCertificates.Rotation rotation(EtcdCluster cluster, ClusterCertificates.Contents current,
      Collection<Pod> pods) {
    Optional<String> request = Optional.ofNullable(cluster.getMetadata().getAnnotations())
        .map(a -> a.get(EtcdCluster.ROTATE_AUTHORITY_ANNOTATION)).filter(v -> !v.isBlank());
    // a handshake per member only while a plane waits for its members to serve the new leaves
    boolean probe = current.authorities().keySet().stream().anyMatch(k -> k.endsWith(ClusterCertificates.RETIRED + ".crt"));
    Optional<BigInteger> held = Optional.ofNullable(current.member().get(MemberTlsFiles.SERVER_CERTIFICATE))
        .flatMap(pem -> Trust.of(pem).stream().findFirst()).map(X509Certificate::getSerialNumber);
    List<AuthorityRotation.MemberTrust> members = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      boolean serves = probe && held.isPresent() && held.equals(ServedCertificate.serial(ClusterNames.memberHost(
          cluster.getMetadata().getName(), cluster.getMetadata().getNamespace(), name), ClusterNames.CLIENT_PORT,
          PROBE_TIMEOUT));
      members.add(new AuthorityRotation.MemberTrust(name, Optional.ofNullable(pod.getMetadata().getAnnotations())
          .map(a -> a.get(MemberTlsFiles.TRUST_ANNOTATION)), ready(pod), serves));
    }
    return new ClusterCertificates.Rotation(request,
        Duration.ofHours(cluster.getSpec().getTls().getAuthorityRenewBeforeHours()),
        new AuthorityRotation.Members(members, cluster.getSpec().getReplicas()));
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
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
    Secret secret = get(client, cluster, name);
    return secret == null ? null : OwnedSecrets.text(secret);
  }

  static Map<String, String> read(KubernetesClient client, EtcdCluster cluster, String name) {
    return OwnedSecrets.text(get(client, cluster, name));
  }

  private static Secret get(KubernetesClient client, EtcdCluster cluster, String name) {
    return client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(name).get();
  }

  static void write(KubernetesClient client, EtcdCluster cluster, String name, Map<String, String> current,
      Map<String, String> desired) {
    if (OwnedSecrets.apply(client, cluster, name, COMPONENT, current, desired)) {
      log.info("{}/{}: Secret {} written ({})", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
          name, current.isEmpty() ? "created" : "certificates renewed");
    }
  }
}
