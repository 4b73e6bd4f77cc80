package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.Clusters;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.etcdplatform.tls.IssuedCertificate;
import io.etcdplatform.tls.Pem;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A TLS cluster's Secrets as the operator keeps them, against a real kube-apiserver. */
class TlsSecretsApiServerTest extends OperatorApiServerTest {

  private static final List<String> SECRETS = List.of("-tls-ca", "-tls-member", "-tls-operator");

  @Test
  void aTlsClusterGetsItsAuthoritiesAndCertificatesOwnedByItBeforeItsMembersAndThemOnlyOnce() throws Exception {
    EtcdCluster created = client.resource(tlsCluster("tls-a")).create();

    StatefulSet sts = await().atMost(TIMEOUT).until(
        () -> client.apps().statefulSets().inNamespace(namespace).withName("tls-a").get(), s -> s != null);
    Map<String, Secret> secrets = secrets("tls-a");
    assertThat(secrets).hasSize(3);
    secrets.values().forEach(secret -> assertThat(secret.getMetadata().getOwnerReferences())
        .anyMatch(owner -> owner.getUid().equals(created.getMetadata().getUid()) && owner.getController()));
    IssuedCertificate server = IssuedCertificate.fromPem(text(secrets.get("tls-a-tls-member"), "server.crt"),
        text(secrets.get("tls-a-tls-member"), "server.key"));
    server.certificate().verify(Pem.readCertificates(text(secrets.get("tls-a-tls-ca"), "client-ca.crt")).get(0).getPublicKey());
    assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(v -> v.getSecret() != null && "tls-a-tls-member".equals(v.getSecret().getSecretName()));
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--listen-client-urls=https://$(POD_IP):2379", "--client-cert-auth=true");

    // several passes later (the health interval is 2 s here) nothing was written again
    Thread.sleep(Duration.ofSeconds(6).toMillis());
    secrets("tls-a").forEach((name, secret) -> assertThat(secret.getMetadata().getResourceVersion())
        .as(name).isEqualTo(secrets.get(name).getMetadata().getResourceVersion()));
  }

  @Test
  void authoritiesTheOperatorCannotUseStopThePassWithAConditionAndAWarningAndNothingIsReissued() {
    client.resource(tlsCluster("tls-b")).create();
    StatefulSet stsBefore = await().atMost(TIMEOUT).until(
        () -> client.apps().statefulSets().inNamespace(namespace).withName("tls-b").get(), s -> s != null);
    Map<String, Secret> before = secrets("tls-b");

    Edits.edit(client.secrets().inNamespace(namespace).withName("tls-b-tls-ca"), secret -> {
      secret.getData().put("client-ca.key", Base64.getEncoder().encodeToString(
          text(before.get("tls-b-tls-ca"), "peer-ca.key").getBytes(StandardCharsets.US_ASCII)));
      return secret;
    });

    EtcdCluster refused = Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-b"), TIMEOUT,
        c -> c.getStatus() != null && progressing(c) != null && "TlsInvalid".equals(progressing(c).getReason()));
    Condition condition = progressing(refused);
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getMessage()).isEqualTo("Secret tls-b-tls-ca: client-ca.key is not the key of client-ca.crt; "
        + "restore it, or delete Secret tls-b-tls-ca to have new authorities made (every member then restarts with new certificates)");
    Event event = await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "tls-b".equals(e.getInvolvedObject().getName()) && "TlsInvalid".equals(e.getReason()))
        .findFirst().orElse(null), e -> e != null);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(secrets("tls-b").get("tls-b-tls-member").getMetadata().getResourceVersion())
        .isEqualTo(before.get("tls-b-tls-member").getMetadata().getResourceVersion());

    // no action while refused: a spec change waits for the Secret to be mended
    Edits.edit(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-b"), c -> {
      c.getSpec().setReplicas(3);
      return c;
    });
    Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-b"), TIMEOUT,
        c -> Clusters.reconciled(c) && "TlsInvalid".equals(progressing(c).getReason()));
    assertThat(client.apps().statefulSets().inNamespace(namespace).withName("tls-b").get().getSpec().getReplicas())
        .isEqualTo(stsBefore.getSpec().getReplicas());
  }

  @Test
  void theRotateAuthorityAnnotationBeginsTrustingBothPlanesAndNothingIsReissuedWhileNoMemberRestarted() {
    client.resource(tlsCluster("tls-c")).create();
    StatefulSet stsBefore = await().atMost(TIMEOUT).until(
        () -> client.apps().statefulSets().inNamespace(namespace).withName("tls-c").get(), s -> s != null);
    String trustBefore = stsBefore.getSpec().getTemplate().getMetadata().getAnnotations()
        .get("etcdplatform.io/trusted-authorities");
    assertThat(trustBefore).isNotBlank();
    Map<String, Secret> before = secrets("tls-c");

    Edits.edit(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-c"), c -> {
      Map<String, String> annotations = new java.util.HashMap<>(
          c.getMetadata().getAnnotations() == null ? Map.of() : c.getMetadata().getAnnotations());
      annotations.put(EtcdCluster.ROTATE_AUTHORITY_ANNOTATION, "first");
      c.getMetadata().setAnnotations(annotations);
      return c;
    });

    EtcdCluster trusting = Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-c"),
        TIMEOUT, c -> c.getStatus() != null && c.getStatus().getTls() != null
            && c.getStatus().getTls().getPlanes().stream().allMatch(p -> "Trusting".equals(p.getPhase())));
    assertThat(trusting.getStatus().getTls().getPlanes()).extracting("plane").containsExactly("client", "peer");
    assertThat(trusting.getStatus().getTls().getPlanes()).allSatisfy(p -> {
      assertThat(p.getNextAuthority()).isNotBlank().isNotEqualTo(p.getAuthority());
      assertThat(p.getRotationStartedAt()).isNotBlank();
    });
    Map<String, Secret> after = secrets("tls-c");
    assertThat(after.get("tls-c-tls-ca").getData()).containsKeys("client-ca-next.crt", "peer-ca-next.crt");
    assertThat(Pem.readCertificates(text(after.get("tls-c-tls-member"), "client-ca.crt"))).hasSize(2);
    assertThat(Pem.readCertificates(text(after.get("tls-c-tls-member"), "peer-ca.crt"))).hasSize(2);
    assertThat(Pem.readCertificates(text(after.get("tls-c-tls-operator"), "ca.crt"))).hasSize(2);
    await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(namespace).withName("tls-c").get()
        .getSpec().getTemplate().getMetadata().getAnnotations().get("etcdplatform.io/trusted-authorities"),
        trust -> !trustBefore.equals(trust));
    Event event = await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "tls-c".equals(e.getInvolvedObject().getName()) && "AuthorityRotation".equals(e.getReason()))
        .findFirst().orElse(null), e -> e != null);
    assertThat(event.getMessage()).contains("Trusting", "asked for by annotation");

    // no member pod runs here (no kubelet): the rotation waits, the leaves stay the old authority's
    Waits.until(client.resources(EtcdCluster.class).inNamespace(namespace).withName("tls-c"), TIMEOUT,
        c -> Clusters.reconciled(c) && c.getStatus().getTls().getPlanes().get(0).getMessage().contains("waiting"));
    assertThat(text(secrets("tls-c").get("tls-c-tls-member"), "server.crt"))
        .isEqualTo(text(before.get("tls-c-tls-member"), "server.crt"));
    assertThat(secrets("tls-c").get("tls-c-tls-ca").getData().get("client-ca.crt"))
        .isEqualTo(before.get("tls-c-tls-ca").getData().get("client-ca.crt"));
  }

  private static EtcdCluster tlsCluster(String name) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(namespace);
    cluster.getSpec().setReplicas(1);
    cluster.getSpec().setTls(new TlsSpec());
    return cluster;
  }

  private static Map<String, Secret> secrets(String cluster) {
    Map<String, Secret> found = new java.util.TreeMap<>();
    for (String suffix : SECRETS) {
      Secret secret = client.secrets().inNamespace(namespace).withName(cluster + suffix).get();
      if (secret != null) {
        found.put(cluster + suffix, secret);
      }
    }
    return found;
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private static Condition progressing(EtcdCluster cluster) {
    return Conditions.find(cluster.getStatus().getConditions(), Conditions.PROGRESSING);
  }
}
