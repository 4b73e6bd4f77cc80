package io.etcdplatform.tls;

import io.etcdplatform.etcd.ClientTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Pure: the contents of a TLS cluster's three Secrets, from what they hold now. The authorities are
 * made once and never replaced on their own (a new authority is a CA rotation: every member must
 * trust it before any certificate it signs is served); a leaf is issued when it is missing, not
 * signed by the current authority, about to expire, or issued for other names.
 */
public final class ClusterCertificates {

  /** The CN of the operator's client certificate: with etcd auth, the operator's user. */
  public static final String OPERATOR_IDENTITY = "etcd-platform-operator";
  static final String CLIENT_AUTHORITY = "client-ca.crt";
  static final String CLIENT_AUTHORITY_KEY = "client-ca.key";
  static final String PEER_AUTHORITY = "peer-ca.crt";
  static final String PEER_AUTHORITY_KEY = "peer-ca.key";
  public static final String OPERATOR_AUTHORITY = "ca.crt";
  public static final String OPERATOR_CERTIFICATE = "tls.crt";
  public static final String OPERATOR_KEY = "tls.key";

  /** Certificates start this long before they are made: a member whose clock is a little behind accepts them. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  /** A Secret's data, by key, as text. */
  public record Contents(Map<String, String> authorities, Map<String, String> member, Map<String, String> operator) {

    public Contents {
      authorities = Map.copyOf(authorities);
      member = Map.copyOf(member);
      operator = Map.copyOf(operator);
    }
  }

  /** What the Secrets must hold, and the operator's client identity from them. */
  public record Plan(Contents desired, ClientTls operator) {}

  private ClusterCertificates() {}

  /**
   * @param authoritiesSecret the name of the authorities' Secret, for messages
   * @throws TlsMaterialException when the authorities' Secret exists but cannot serve
   */
  public static Plan plan(TlsSettings settings, Contents current, String authoritiesSecret, Instant now) {
    Authorities authorities = current.authorities().isEmpty()
        ? Authorities.create(settings, now.minus(BACKDATE)) : Authorities.read(current.authorities(), authoritiesSecret, now);
    List<String> names = ServingNames.dnsNames(settings.cluster(), settings.namespace(), settings.clusterDomain());
    Map<String, String> member = new TreeMap<>();
    member.putAll(leaf(current.member(), MemberTlsFiles.SERVER_CERTIFICATE, MemberTlsFiles.SERVER_KEY,
        authorities.client(), serving(settings, names, now), now, settings));
    member.putAll(leaf(current.member(), MemberTlsFiles.PEER_CERTIFICATE, MemberTlsFiles.PEER_KEY,
        authorities.peer(), serving(settings, names, now), now, settings));
    member.put(MemberTlsFiles.CLIENT_AUTHORITY, authorities.contents().get(CLIENT_AUTHORITY));
    member.put(MemberTlsFiles.PEER_AUTHORITY, authorities.contents().get(PEER_AUTHORITY));
    Map<String, String> operator = new TreeMap<>(leaf(current.operator(), OPERATOR_CERTIFICATE, OPERATOR_KEY,
        authorities.client(), LeafRequest.client(OPERATOR_IDENTITY, now.minus(BACKDATE), now.plus(settings.leafValidity())), now, settings));
    operator.put(OPERATOR_AUTHORITY, authorities.contents().get(CLIENT_AUTHORITY));
    Contents desired = new Contents(authorities.contents(), member, operator);
    return new Plan(desired, new ClientTls(operator.get(OPERATOR_AUTHORITY), operator.get(OPERATOR_CERTIFICATE),
        operator.get(OPERATOR_KEY)));
  }

  private static LeafRequest serving(TlsSettings settings, List<String> names, Instant now) {
    return new LeafRequest(settings.cluster(), CertificateUsage.SERVER_AND_CLIENT, names, ServingNames.ipAddresses(),
        now.minus(BACKDATE), now.plus(settings.leafValidity()));
  }

  /** The kept certificate and key when they still serve, otherwise a new pair from {@code authority}. */
  private static Map<String, String> leaf(Map<String, String> current, String certificateKey, String keyKey,
      CertificateAuthority authority, LeafRequest wanted, Instant now, TlsSettings settings) {
    String certificate = current.get(certificateKey);
    String key = current.get(keyKey);
    if (certificate != null && key != null && serves(certificate, key, authority, wanted, now, settings)) {
      return Map.of(certificateKey, certificate, keyKey, key);
    }
    IssuedCertificate issued = authority.issue(wanted);
    return Map.of(certificateKey, issued.certificatePem(), keyKey, issued.keyPem());
  }

  private static boolean serves(String certificatePem, String keyPem, CertificateAuthority authority,
      LeafRequest wanted, Instant now, TlsSettings settings) {
    try {
      IssuedCertificate kept = IssuedCertificate.fromPem(certificatePem, keyPem);
      X509Certificate certificate = kept.certificate();
      certificate.verify(authority.certificate().certificate().getPublicKey());
      return kept.notAfter().minus(settings.renewBefore()).isAfter(now)
          && !kept.notBefore().isAfter(now)
          && Objects.equals(alternativeNames(certificate), sorted(wanted.dnsNames(), wanted.ipAddresses()))
          && kept.keyMatches();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static List<String> alternativeNames(X509Certificate certificate) throws GeneralSecurityException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    return names == null ? List.of() : names.stream().map(name -> String.valueOf(name.get(1)))
        .map(ClusterCertificates::canonicalAddress).sorted().toList();
  }

  private static List<String> sorted(List<String> dns, List<String> ips) {
    return Stream.concat(dns.stream(), ips.stream().map(ClusterCertificates::canonicalAddress)).sorted().toList();
  }

  /** The JDK prints an IPv6 SAN in full ({@code 0:0:0:0:0:0:0:1}): compare addresses in that form. */
  private static String canonicalAddress(String name) {
    if (!name.contains(":")) {
      return name;
    }
    try {
      return InetAddress.getByName(name).getHostAddress();
    } catch (UnknownHostException e) {
      return name;
    }
  }

  /** @param contents the Secret's data: as kept when read, so an unchanged Secret is never rewritten */
  private record Authorities(CertificateAuthority client, CertificateAuthority peer, Map<String, String> contents) {

    static Authorities create(TlsSettings settings, Instant now) {
      Instant notAfter = now.plus(settings.authorityValidity());
      String subject = settings.namespace() + "/" + settings.cluster();
      CertificateAuthority client = CertificateAuthority.create(subject + " client CA", now, notAfter);
      CertificateAuthority peer = CertificateAuthority.create(subject + " peer CA", now, notAfter);
      return new Authorities(client, peer, Map.of(
          CLIENT_AUTHORITY, client.certificate().certificatePem(), CLIENT_AUTHORITY_KEY, client.certificate().keyPem(),
          PEER_AUTHORITY, peer.certificate().certificatePem(), PEER_AUTHORITY_KEY, peer.certificate().keyPem()));
    }

    static Authorities read(Map<String, String> data, String secret, Instant now) {
      return new Authorities(authority(data, CLIENT_AUTHORITY, CLIENT_AUTHORITY_KEY, secret, now),
          authority(data, PEER_AUTHORITY, PEER_AUTHORITY_KEY, secret, now), data);
    }

    private static CertificateAuthority authority(Map<String, String> data, String certificateKey, String keyKey,
        String secret, Instant now) {
      String fix = "; restore it, or delete Secret " + secret
          + " to have new authorities made (every member then restarts with new certificates)";
      if (!data.containsKey(certificateKey) || !data.containsKey(keyKey)) {
        throw new TlsMaterialException("Secret " + secret + " has no " + (data.containsKey(certificateKey) ? keyKey : certificateKey) + fix);
      }
      CertificateAuthority authority;
      try {
        authority = CertificateAuthority.of(IssuedCertificate.fromPem(data.get(certificateKey), data.get(keyKey)));
      } catch (IllegalArgumentException e) {
        throw new TlsMaterialException("Secret " + secret + " key " + certificateKey + "/" + keyKey + ": " + e.getMessage() + fix);
      }
      if (!authority.certificate().notAfter().isAfter(now)) {
        throw new TlsMaterialException("Secret " + secret + ": the authority " + certificateKey + " expired at "
            + authority.certificate().notAfter() + fix);
      }
      if (!authority.certificate().keyMatches()) {
        throw new TlsMaterialException("Secret " + secret + ": " + keyKey + " is not the key of " + certificateKey + fix);
      }
      return authority;
    }
  }
}
