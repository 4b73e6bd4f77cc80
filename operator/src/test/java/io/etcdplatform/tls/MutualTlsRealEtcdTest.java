package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MemberCertificates;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members of real etcd 3.5 and 3.6 with mutual TLS on both planes from operator-issued certificates
 * and the flags the operator gives its members (TLS 1.2 at least, its cipher suites): the
 * membership engine forms the cluster over it (learners added and promoted), the operator's client
 * certificate is accepted, and a client without a certificate, with one from another authority, or
 * with the peer plane's is refused.
 */
class MutualTlsRealEtcdTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.6", "3.5"})
  void aClusterFormsOverMutualTlsAndOnlyTheAuthoritysClientsAreServed(String release) throws Exception {
    Path dir = Path.of("target", "etcd-tests", "mtls-" + release).toAbsolutePath();
    cluster = new EtcdProcessCluster("t", dir, 200, release.equals("3.6") ? Binaries.etcd("etcd") : Binaries.etcd35("etcd"));
    MemberCertificates certificates = new MemberCertificates();
    ClientTls operatorTls = certificates.applyTo(cluster, 3, dir.resolveSibling("mtls-" + release + "-certs"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);

    driver.converge(3, Duration.ofSeconds(90));

    List<String> urls = cluster.clientUrls();
    assertThat(urls).allMatch(url -> url.startsWith("https://")).hasSize(3);
    assertThat(driver.observe().healthyVoters()).isEqualTo(3);
    EtcdConnection asOperator = track(new EtcdConnection(urls, DEADLINE, Optional.of(operatorTls)));
    assertThat(asOperator.memberList().getMembers()).hasSize(3);
    Client operatorClient = track(client(urls, operatorTls.sslContext()));
    operatorClient.getKVClient().put(bytes("k"), bytes("v")).get(10, TimeUnit.SECONDS);
    assertThat(operatorClient.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);

    assertRefused(track(client(urls, GrpcSslContexts.forClient().trustManager(
        new ByteArrayInputStream(operatorTls.trustedAuthoritiesPem().getBytes(StandardCharsets.US_ASCII))).build())));
    CertificateAuthority other = CertificateAuthority.create("test client CA", Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofDays(1)));
    assertRefused(track(client(urls, certificates.client(other, "etcd-platform-operator").sslContext())));
    assertRefused(track(client(urls, certificates.client(certificates.peerPlane(), "t-0").sslContext())));
  }

  private void assertRefused(Client client) {
    assertThatThrownBy(() -> client.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS))
        .hasStackTraceContaining("UNAVAILABLE");
  }

  private static Client client(List<String> urls, SslContext ssl) {
    return Client.builder().endpoints(urls.stream().map(URI::create).toList()).sslContext(ssl)
        .connectTimeout(DEADLINE).waitForReady(false).retryMaxAttempts(0).build();
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
