package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members of real etcd 3.5 and 3.6 with mutual TLS on both planes from operator-issued certificates:
 * the membership engine forms the cluster over it (learners added and promoted), the operator's
 * client certificate is accepted, and a client without a certificate or with one from another
 * authority is refused.
 */
class MutualTlsRealEtcdTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private final Instant now = Instant.now();
  private final CertificateAuthority clientPlane = CertificateAuthority.create("t client CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
  private final CertificateAuthority peerPlane = CertificateAuthority.create("t peer CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
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
    Path certs = Files.createDirectories(dir.resolveSibling("mtls-" + release + "-certs"));
    IssuedCertificate operator = clientPlane.issue(LeafRequest.client("etcd-platform-operator", now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    ClientTls operatorTls = new ClientTls(clientPlane.certificate().certificatePem(), operator.certificatePem(), operator.keyPem());
    cluster.mutualTls(memberFlags(certs), operatorTls);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);

    driver.converge(3, Duration.ofSeconds(90));

    List<String> urls = cluster.clientUrls();
    assertThat(urls).allMatch(url -> url.startsWith("https://")).hasSize(3);
    assertThat(driver.observe().healthyVoters()).isEqualTo(3);
    EtcdConnection asOperator = track(new EtcdConnection(urls, DEADLINE, java.util.Optional.of(operatorTls)));
    assertThat(asOperator.memberList().getMembers()).hasSize(3);
    Client operatorClient = track(client(urls, operatorTls.sslContext()));
    operatorClient.getKVClient().put(bytes("k"), bytes("v")).get(10, TimeUnit.SECONDS);
    assertThat(operatorClient.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);

    Client withoutCertificate = track(client(urls, GrpcSslContexts.forClient()
        .trustManager(stream(clientPlane.certificate().certificatePem())).build()));
    assertRefused(withoutCertificate);

    CertificateAuthority other = CertificateAuthority.create("t client CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    IssuedCertificate intruder = other.issue(LeafRequest.client("etcd-platform-operator", now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    Client otherAuthority = track(client(urls, new ClientTls(clientPlane.certificate().certificatePem(),
        intruder.certificatePem(), intruder.keyPem()).sslContext()));
    assertRefused(otherAuthority);

    IssuedCertificate peerCertificateAsClient = peerPlane.issue(LeafRequest.client("t-0", now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    Client peerIdentity = track(client(urls, new ClientTls(clientPlane.certificate().certificatePem(),
        peerCertificateAsClient.certificatePem(), peerCertificateAsClient.keyPem()).sslContext()));
    assertRefused(peerIdentity);
  }

  private List<String> memberFlags(Path certs) throws IOException {
    List<String> addresses = new ArrayList<>(ServingNames.ipAddresses());
    IntStream.range(0, 5).forEach(ordinal -> addresses.add(cluster.ip("t-" + ordinal)));
    List<String> names = ServingNames.dnsNames("t", "default", "cluster.local");
    IssuedCertificate server = clientPlane.issue(new LeafRequest("t", CertificateUsage.SERVER_AND_CLIENT, names, addresses,
        now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    IssuedCertificate peer = peerPlane.issue(new LeafRequest("t", CertificateUsage.SERVER_AND_CLIENT, names, addresses,
        now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    return List.of(
        "--cert-file=" + write(certs, "server.crt", server.certificatePem()),
        "--key-file=" + write(certs, "server.key", server.keyPem()),
        "--trusted-ca-file=" + write(certs, "client-ca.crt", clientPlane.certificate().certificatePem()),
        "--client-cert-auth",
        "--peer-cert-file=" + write(certs, "peer.crt", peer.certificatePem()),
        "--peer-key-file=" + write(certs, "peer.key", peer.keyPem()),
        "--peer-trusted-ca-file=" + write(certs, "peer-ca.crt", peerPlane.certificate().certificatePem()),
        "--peer-client-cert-auth",
        "--tls-min-version=TLS1.2");
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

  private static Path write(Path dir, String name, String pem) throws IOException {
    return Files.writeString(dir.resolve(name), pem);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
