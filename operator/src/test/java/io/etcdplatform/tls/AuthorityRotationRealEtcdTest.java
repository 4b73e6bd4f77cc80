package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real etcd 3.6 members with mutual TLS on both planes and a writer through every endpoint:
 * the authorities rotated in the operator's three phases (restart every member with the old+new
 * bundle one at a time through the membership planner, issue every leaf again from the new
 * authorities, trust only the new ones and restart again), and a leaf renewed in place. The files
 * are swapped as the kubelet swaps a Secret volume: a new directory, then one atomic rename of the
 * link the flags read through.
 */
class AuthorityRotationRealEtcdTest {

  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private AcknowledgedWrites writer;
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Instant now = Instant.now();
  private Path dir;
  private int version;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (writer != null) {
      writer.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void bothAuthoritiesRotateUnderAWriterWithoutAFailedRequestAndOnlyTheNewAuthoritysClientsAreServedAfterwards()
      throws Exception {
    dir = Path.of("target", "etcd-tests", "ca-rotation-certs").toAbsolutePath();
    Directories.deleteRecursively(dir);
    cluster = new EtcdProcessCluster("r", dir.resolveSibling("ca-rotation"), 230, Binaries.etcd("etcd"));
    CertificateAuthority oldClient = authority("old client");
    CertificateAuthority oldPeer = authority("old peer");
    writeFiles(oldClient, oldPeer, List.of(oldClient), List.of(oldPeer));
    ClientTls oldIdentity = client(oldClient, List.of(oldClient));
    cluster.mutualTls(MemberTlsFiles.flags(dir.resolve("current").toString()), oldIdentity);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, CONVERGE);
    List<String> urls = cluster.clientUrls();
    writer = new AcknowledgedWrites(urls, Optional.of(oldIdentity.sslContext()));
    awaitWrites(50);
    Instant started = Instant.now();

    // Trusting: new authorities beside the old; every member restarts onto the bundle, one at a time
    CertificateAuthority newClient = authority("new client");
    CertificateAuthority newPeer = authority("new peer");
    writeFiles(oldClient, oldPeer, List.of(oldClient, newClient), List.of(oldPeer, newPeer));
    Map<String, Long> before = pids();
    cluster.newTemplate();
    driver.converge(3, CONVERGE);
    assertThat(pids()).allSatisfy((member, pid) -> assertThat(pid).isNotEqualTo(before.get(member)));
    long restartsFirstRoll = driver.history().stream().filter(s -> s instanceof io.etcdplatform.members.Step.RestartMember).count();

    // Reissuing: every leaf from the new authorities, no restart; the writer dials with its new certificate
    Map<String, Long> running = pids();
    BigInteger reissued = writeFiles(newClient, newPeer, List.of(oldClient, newClient), List.of(oldPeer, newPeer));
    ClientTls newIdentity = client(newClient, List.of(oldClient, newClient));
    cluster.mutualTls(MemberTlsFiles.flags(dir.resolve("current").toString()), newIdentity);
    writer.useTls(newIdentity.sslContext());
    awaitServed(reissued);
    assertThat(pids()).isEqualTo(running);
    awaitWrites(writer.count() + 50);

    // Dropping: only the new authorities; every member restarts again
    writeFiles(newClient, newPeer, List.of(newClient), List.of(newPeer));
    cluster.newTemplate();
    driver.converge(3, CONVERGE);
    Duration took = Duration.between(started, Instant.now());
    awaitWrites(writer.count() + 50);

    long failed = writer.failedAttempts();
    int written = writer.count();
    List<String> missing = writer.stopAndFindMissing();
    System.out.printf("CA rotation of 3 members (both planes, 2 rolling restarts): %.1f s, %d writes, %d failed "
        + "requests, p99 %.1f ms, max %.1f ms%n", took.toMillis() / 1000.0, written, failed, writer.p99Millis(),
        writer.maxMillis());
    assertThat(missing).isEmpty();
    // etcd stops its client gRPC server at once, not gracefully, when it serves TLS (embed/etcd.go
    // stopServers), so a request in flight to a member as it restarts can fail: at most one per
    // restart, retried by the writer, none lost. 0 in most runs; the figure above says how many.
    long restarts = driver.history().stream().filter(s -> s instanceof io.etcdplatform.members.Step.RestartMember).count();
    assertThat(failed).as("failed requests during the rotation: %s", writer.failureCauses())
        .isLessThanOrEqualTo(restarts);
    assertThat(restartsFirstRoll).isGreaterThanOrEqualTo(3);
    assertThat(driver.observe().healthyVoters()).isEqualTo(3);

    Client withNew = track(client(urls, client(newClient, List.of(newClient))));
    withNew.getKVClient().put(bytes("after"), bytes("v")).get(10, TimeUnit.SECONDS);
    assertThat(withNew.getKVClient().get(bytes("after")).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
    Client withOld = track(client(urls, client(oldClient, List.of(newClient))));
    assertThatThrownBy(() -> withOld.getKVClient().get(bytes("after")).get(10, TimeUnit.SECONDS))
        .hasStackTraceContaining("UNAVAILABLE");
  }

  @Test
  void aLeafRenewedInPlaceServesOnTheNextHandshakesWithoutARestartOrAFailedRequest() throws Exception {
    dir = Path.of("target", "etcd-tests", "leaf-renewal-certs").toAbsolutePath();
    Directories.deleteRecursively(dir);
    cluster = new EtcdProcessCluster("l", dir.resolveSibling("leaf-renewal"), 240, Binaries.etcd("etcd"));
    CertificateAuthority client = authority("client");
    CertificateAuthority peer = authority("peer");
    BigInteger first = writeFiles(client, peer, List.of(client), List.of(peer));
    ClientTls identity = client(client, List.of(client));
    cluster.mutualTls(MemberTlsFiles.flags(dir.resolve("current").toString()), identity);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, CONVERGE);
    writer = new AcknowledgedWrites(cluster.clientUrls(), Optional.of(identity.sslContext()));
    awaitWrites(50);
    awaitServed(first);
    Map<String, Long> running = pids();

    BigInteger renewed = writeFiles(client, peer, List.of(client), List.of(peer));
    awaitServed(renewed);
    awaitWrites(writer.count() + 100);

    assertThat(pids()).as("no member restarted").isEqualTo(running);
    long failed = writer.failedAttempts();
    assertThat(writer.stopAndFindMissing()).isEmpty();
    assertThat(failed).isZero();
  }

  /** Why the first phase exists: a bundle written without restarts is not read, and the new authority's clients are refused. */
  @Test
  void withoutTheRestartsOfTheFirstPhaseTheMembersRefuseTheNewAuthoritysCertificates() throws Exception {
    dir = Path.of("target", "etcd-tests", "ca-no-restart-certs").toAbsolutePath();
    Directories.deleteRecursively(dir);
    cluster = new EtcdProcessCluster("n", dir.resolveSibling("ca-no-restart"), 250, Binaries.etcd("etcd"));
    CertificateAuthority oldClient = authority("old client");
    CertificateAuthority oldPeer = authority("old peer");
    writeFiles(oldClient, oldPeer, List.of(oldClient), List.of(oldPeer));
    cluster.mutualTls(MemberTlsFiles.flags(dir.resolve("current").toString()), client(oldClient, List.of(oldClient)));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, CONVERGE);
    CertificateAuthority newClient = authority("new client");
    CertificateAuthority newPeer = authority("new peer");

    writeFiles(oldClient, oldPeer, List.of(oldClient, newClient), List.of(oldPeer, newPeer));

    Client withNew = track(client(cluster.clientUrls(), client(newClient, List.of(oldClient, newClient))));
    assertThatThrownBy(() -> withNew.getKVClient().get(bytes("k")).get(10, TimeUnit.SECONDS))
        .hasStackTraceContaining("UNAVAILABLE");
  }

  /** The members' files, swapped at once; returns the serial of the new server certificate. */
  private BigInteger writeFiles(CertificateAuthority clientSigner, CertificateAuthority peerSigner,
      List<CertificateAuthority> clientTrust, List<CertificateAuthority> peerTrust) {
    List<String> addresses = new ArrayList<>(ServingNames.ipAddresses());
    IntStream.range(0, 3).forEach(ordinal -> addresses.add(cluster.ip(cluster.name(ordinal))));
    List<String> names = ServingNames.dnsNames(cluster.cluster(), "default", "cluster.local");
    IssuedCertificate server = clientSigner.issue(serving(names, addresses));
    IssuedCertificate peer = peerSigner.issue(serving(names, addresses));
    Path next = dir.resolve("v" + (++version));
    try {
      Files.createDirectories(next);
      Files.writeString(next.resolve(MemberTlsFiles.SERVER_CERTIFICATE), server.certificatePem());
      Files.writeString(next.resolve(MemberTlsFiles.SERVER_KEY), server.keyPem());
      Files.writeString(next.resolve(MemberTlsFiles.PEER_CERTIFICATE), peer.certificatePem());
      Files.writeString(next.resolve(MemberTlsFiles.PEER_KEY), peer.keyPem());
      Files.writeString(next.resolve(MemberTlsFiles.CLIENT_AUTHORITY), bundle(clientTrust));
      Files.writeString(next.resolve(MemberTlsFiles.PEER_AUTHORITY), bundle(peerTrust));
      Path link = dir.resolve("current.tmp");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, next.getFileName());
      Files.move(link, dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return server.certificate().getSerialNumber();
  }

  private void awaitServed(BigInteger serial) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (IntStream.range(0, 3).allMatch(o -> ServedCertificate.serial(cluster.ip(cluster.name(o)), 2379,
          Duration.ofSeconds(3)).equals(Optional.of(serial)))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not every member serves certificate " + serial + " within 30s");
  }

  private void awaitWrites(int count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    while (writer.count() < count) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the writer wrote " + writer.count() + " of " + count + " within 60s");
      }
      Thread.sleep(50);
    }
  }

  private Map<String, Long> pids() {
    return IntStream.range(0, 3).mapToObj(cluster::name).collect(Collectors.toMap(m -> m, cluster::pid));
  }

  private ClientTls client(CertificateAuthority signer, List<CertificateAuthority> trusted) {
    IssuedCertificate leaf = signer.issue(LeafRequest.client("etcd-platform-operator", now.minusSeconds(60),
        now.plus(Duration.ofHours(1))));
    return new ClientTls(bundle(trusted), leaf.certificatePem(), leaf.keyPem());
  }

  private LeafRequest serving(List<String> names, List<String> addresses) {
    return new LeafRequest("member", CertificateUsage.SERVER_AND_CLIENT, names, addresses, now.minusSeconds(60),
        now.plus(Duration.ofHours(1)));
  }

  private CertificateAuthority authority(String name) {
    return CertificateAuthority.create("test " + name + " CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
  }

  private static String bundle(List<CertificateAuthority> authorities) {
    return Pem.certificates(authorities.stream().map(a -> a.certificate().certificate()).toList());
  }

  private static Client client(List<String> urls, ClientTls tls) {
    return Client.builder().endpoints(urls.stream().map(URI::create).toList()).sslContext(tls.sslContext())
        .connectTimeout(Duration.ofSeconds(5)).waitForReady(false).retryMaxAttempts(0).build();
  }

  private <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
