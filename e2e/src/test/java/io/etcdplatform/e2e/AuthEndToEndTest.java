package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auth example from {@code kubectl apply} on the local environment: a TLS cluster whose auth the
 * operator enables, each declared user's Secret mounted as it is by a client that writes inside its
 * prefix and is refused outside it.
 */
class AuthEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Path OPERATOR_LOG = Path.of("target", "operator-auth.log").toAbsolutePath();
  private static LocalCluster env;
  private static OperatorProcess operator;

  @BeforeAll
  static void start() throws Exception {
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    Files.deleteIfExists(OPERATOR_LOG);
    operator = OperatorProcess.startAsChartAccount(env, work, Map.of(), OPERATOR_LOG);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  void theAuthExamplesUsersEachWriteInTheirOwnPrefixOnly() throws Exception {
    try (InputStream example = Files.newInputStream(Binaries.repositoryRoot().resolve("examples/etcd-cluster-auth.yaml"))) {
      env.client().load(example).inNamespace("default").serverSideApply();
    }

    EtcdCluster ready = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        env.client().resources(EtcdCluster.class).inNamespace("default").withName("orders"),
        c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.Running
            && Conditions.isTrue(c.getStatus().getConditions(), "AuthReady"));
    assertThat(ready.getStatus().getAuth().getEnabled()).isTrue();
    assertThat(ready.getStatus().getEndpoints()).containsExactly("https://orders-client.default.svc:2379");

    Secret billing = env.client().secrets().inNamespace("default").withName("orders-user-billing").get();
    assertThat(text(billing, "username")).isEqualTo("billing");
    assertThat(text(billing, "endpoints")).isEqualTo("https://orders-client.default.svc:2379");
    ClientTls tls = new ClientTls(text(billing, "ca.crt"), text(billing, "tls.crt"), text(billing, "tls.key"));
    try (Client asBilling = Client.builder().endpoints(URI.create(text(billing, "endpoints"))).sslContext(tls.sslContext())
        .connectTimeout(Duration.ofSeconds(5)).waitForReady(false).build()) {
      // the client Service's name reaches the hosts file once the node agent saw the pods ready
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
        asBilling.getKVClient().put(bytes("/billing/invoice-1"), bytes("v")).get(5, TimeUnit.SECONDS);
        return true;
      });
      assertThatThrownBy(() -> asBilling.getKVClient().put(bytes("/catalog/item-1"), bytes("v")).get(15, TimeUnit.SECONDS))
          .hasStackTraceContaining("PERMISSION_DENIED");
    }
    Secret catalog = env.client().secrets().inNamespace("default").withName("orders-user-catalog").get();
    assertThat(text(catalog, "password")).isEqualTo("change-me-to-a-long-random-password");
    String log = Files.readString(OPERATOR_LOG);
    assertThat(log).doesNotContain("change-me-to-a-long-random-password", text(billing, "password"));
  }

  private static String text(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
