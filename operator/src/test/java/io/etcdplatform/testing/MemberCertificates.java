package io.etcdplatform.testing;

import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.tls.CertificateAuthority;
import io.etcdplatform.tls.CertificateUsage;
import io.etcdplatform.tls.IssuedCertificate;
import io.etcdplatform.tls.LeafRequest;
import io.etcdplatform.tls.MemberTlsFiles;
import io.etcdplatform.tls.ServingNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Mutual TLS for an {@link EtcdProcessCluster} as the operator sets it up for its members: an
 * authority per plane, the members' certificates in the files and flags {@link MemberTlsFiles}
 * names, and the operator's client certificate. The members dial each other by address here (no
 * cluster DNS), so their addresses join the names the certificates carry.
 */
public final class MemberCertificates {

  private final Instant now = Instant.now();
  private final CertificateAuthority clientPlane = authority("client");
  private final CertificateAuthority peerPlane = authority("peer");

  public CertificateAuthority clientPlane() {
    return clientPlane;
  }

  public CertificateAuthority peerPlane() {
    return peerPlane;
  }

  /** Writes the members' files into {@code dir} and turns mutual TLS on for {@code cluster}'s first {@code members}. */
  public ClientTls applyTo(EtcdProcessCluster cluster, int members, Path dir) {
    List<String> addresses = new ArrayList<>(ServingNames.ipAddresses());
    IntStream.range(0, members).forEach(ordinal -> addresses.add(cluster.ip(cluster.name(ordinal))));
    List<String> names = ServingNames.dnsNames(cluster.cluster(), "default", "cluster.local");
    IssuedCertificate server = clientPlane.issue(serving(names, addresses));
    IssuedCertificate peer = peerPlane.issue(serving(names, addresses));
    try {
      Files.createDirectories(dir);
      write(dir, MemberTlsFiles.SERVER_CERTIFICATE, server.certificatePem());
      write(dir, MemberTlsFiles.SERVER_KEY, server.keyPem());
      write(dir, MemberTlsFiles.CLIENT_AUTHORITY, clientPlane.certificate().certificatePem());
      write(dir, MemberTlsFiles.PEER_CERTIFICATE, peer.certificatePem());
      write(dir, MemberTlsFiles.PEER_KEY, peer.keyPem());
      write(dir, MemberTlsFiles.PEER_AUTHORITY, peerPlane.certificate().certificatePem());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClientTls operator = client(clientPlane, "etcd-platform-operator");
    cluster.mutualTls(MemberTlsFiles.flags(dir.toString()), operator);
    return operator;
  }

  /** A client certificate {@code authority} signs, trusting the client plane's authority. */
  public ClientTls client(CertificateAuthority authority, String commonName) {
    IssuedCertificate client = authority.issue(LeafRequest.client(commonName, now.minusSeconds(60), now.plus(Duration.ofHours(1))));
    return new ClientTls(clientPlane.certificate().certificatePem(), client.certificatePem(), client.keyPem());
  }

  private LeafRequest serving(List<String> names, List<String> addresses) {
    return new LeafRequest("member", CertificateUsage.SERVER_AND_CLIENT, names, addresses, now.minusSeconds(60),
        now.plus(Duration.ofHours(1)));
  }

  private CertificateAuthority authority(String plane) {
    return CertificateAuthority.create("test " + plane + " CA", now.minusSeconds(60), now.plus(Duration.ofDays(1)));
  }

  private static void write(Path dir, String name, String pem) throws IOException {
    Files.writeString(dir.resolve(name), pem);
  }
}
