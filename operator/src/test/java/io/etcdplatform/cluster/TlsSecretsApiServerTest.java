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
