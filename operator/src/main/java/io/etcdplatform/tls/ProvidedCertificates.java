package io.etcdplatform.tls;

import io.etcdplatform.etcd.ClientTls;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Pure: whether certificates kept in Secrets the operator does not make (a person's own, or those
 * cert-manager writes) can serve a cluster, and if so what the members' and the operator's Secrets
 * then hold. Each plane's Secret has the kubernetes.io/tls layout ({@code tls.crt} with any
 * intermediates after the leaf, {@code tls.key}, {@code ca.crt}). What cannot serve is refused with
 * the spec field that names the Secret and the fix, before anything is copied, so members keep
 * serving what they had. RSA keys serve over TLS 1.3 only ({@link MemberTlsFiles#CIPHER_SUITES} are ECDSA).
 */
public final class ProvidedCertificates {

  public static final String CERTIFICATE = "tls.crt";
  public static final String KEY = "tls.key";
  public static final String AUTHORITIES = "ca.crt";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  /**
   * One Secret and how to name it to a person.
   *
   * @param field the spec field a message names, e.g. {@code spec.tls.bringYourOwn.client.secretName}
   * @param secret the Secret's name
   * @param data its data as text; {@code null} when the Secret does not exist
   * @param fix what to do, appended to every refusal of this Secret
   */
  public record Source(String field, String secret, Map<String, String> data, String fix) {}

  /**
   * @param memberHosts every member's name under the peer Service, each a SAN both planes' certificates need
   * @param clientHosts the client Service's names, SANs the client plane's certificate needs
   */
  public record Request(String namespace, List<String> memberHosts, List<String> clientHosts,
      Source client, Source peer, Source operator) {}

  /** What the members' Secret and the operator's Secret hold, in {@link MemberTlsFiles} and {@link ClusterCertificates} keys. */
  public record Projection(Map<String, String> member, Map<String, String> operator, ClientTls operatorIdentity) {

    public Projection {
      member = Map.copyOf(member);
      operator = Map.copyOf(operator);
    }
  }

  private ProvidedCertificates() {}

  /** @throws TlsMaterialException naming the first field whose Secret cannot serve, and the fix */
  public static Projection validate(Request request, Instant now) {
    Leaf server = leaf(request.namespace(), request.client(), true, now);
    Leaf peer = leaf(request.namespace(), request.peer(), true, now);
    Leaf operator = leaf(request.namespace(), request.operator(), false, now);
    List<String> serverHosts = new ArrayList<>(request.memberHosts());
    serverHosts.addAll(request.clientHosts());
    signedBy(request.client(), server, server.authorities(), "its ca.crt", now);
    signedBy(request.peer(), peer, peer.authorities(), "its ca.crt", now);
    signedBy(request.operator(), operator, server.authorities(),
        "the client plane's ca.crt (" + request.client().field() + ")", now);
    usages(request.client(), server.chain().get(0), List.of(SERVER_AUTH, CLIENT_AUTH));
    usages(request.peer(), peer.chain().get(0), List.of(SERVER_AUTH, CLIENT_AUTH));
    usages(request.operator(), operator.chain().get(0), List.of(CLIENT_AUTH));
    names(request.client(), server.chain().get(0), serverHosts);
    names(request.peer(), peer.chain().get(0), request.memberHosts());

    Map<String, String> member = new TreeMap<>();
    member.put(MemberTlsFiles.SERVER_CERTIFICATE, request.client().data().get(CERTIFICATE));
    member.put(MemberTlsFiles.SERVER_KEY, request.client().data().get(KEY));
    member.put(MemberTlsFiles.PEER_CERTIFICATE, request.peer().data().get(CERTIFICATE));
    member.put(MemberTlsFiles.PEER_KEY, request.peer().data().get(KEY));
    member.put(MemberTlsFiles.CLIENT_AUTHORITY, request.client().data().get(AUTHORITIES));
    member.put(MemberTlsFiles.PEER_AUTHORITY, request.peer().data().get(AUTHORITIES));
    Map<String, String> operatorFiles = new TreeMap<>();
    operatorFiles.put(ClusterCertificates.OPERATOR_AUTHORITY, request.client().data().get(AUTHORITIES));
    operatorFiles.put(ClusterCertificates.OPERATOR_CERTIFICATE, request.operator().data().get(CERTIFICATE));
    // PKCS#8 whatever the Secret holds: Netty (jetcd) reads no other key form
    operatorFiles.put(ClusterCertificates.OPERATOR_KEY, Pem.privateKey(operator.key()));
    return new Projection(member, operatorFiles, new ClientTls(operatorFiles.get(ClusterCertificates.OPERATOR_AUTHORITY),
        operatorFiles.get(ClusterCertificates.OPERATOR_CERTIFICATE), operatorFiles.get(ClusterCertificates.OPERATOR_KEY)));
  }

  /** The names a member certificate must carry for a cluster of {@code replicas} members. */
  public static List<String> memberHosts(String cluster, String namespace, int replicas) {
    String peers = io.etcdplatform.kube.ClusterNames.peerServiceHost(cluster, namespace);
    List<String> hosts = new ArrayList<>();
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      hosts.add(cluster + "-" + ordinal + "." + peers);
    }
    return hosts;
  }

  public static List<String> clientHosts(String cluster, String namespace) {
    return List.of(io.etcdplatform.kube.ClusterNames.clientServiceHost(cluster, namespace));
  }

  /** @param chain the certificate first, then the intermediates {@code tls.crt} carries */
  private record Leaf(List<X509Certificate> chain, java.security.PrivateKey key, List<X509Certificate> authorities) {}

  private static Leaf leaf(String namespace, Source source, boolean needsAuthorities, Instant now) {
    if (source.data() == null) {
      throw refused(source, "Secret " + source.secret() + " does not exist in namespace " + namespace);
    }
    List<String> keys = needsAuthorities ? List.of(CERTIFICATE, KEY, AUTHORITIES) : List.of(CERTIFICATE, KEY);
    for (String key : keys) {
      if (source.data().get(key) == null || source.data().get(key).isBlank()) {
        throw refused(source, "Secret " + source.secret() + " has no key " + key);
      }
    }
    List<X509Certificate> chain = read(source, CERTIFICATE, () -> Pem.readCertificates(source.data().get(CERTIFICATE)));
    IssuedCertificate issued = new IssuedCertificate(chain.get(0),
        read(source, KEY, () -> Pem.readPrivateKey(source.data().get(KEY))));
    if (!issued.keyMatches()) {
      throw refused(source, "Secret " + source.secret() + ": " + KEY + " is not the private key of " + CERTIFICATE);
    }
    if (!issued.notAfter().isAfter(now)) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(chain.get(0))
          + ") expired at " + issued.notAfter());
    }
    if (issued.notBefore().isAfter(now)) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(chain.get(0))
          + ") is not valid before " + issued.notBefore());
    }
    if (chain.get(0).getBasicConstraints() >= 0) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(chain.get(0))
          + ") is a certificate authority, not a leaf certificate");
    }
    List<X509Certificate> authorities = needsAuthorities
        ? read(source, AUTHORITIES, () -> Pem.readCertificates(source.data().get(AUTHORITIES))) : List.of();
    return new Leaf(chain, issued.key(), authorities);
  }

  private static <T> T read(Source source, String key, java.util.function.Supplier<T> reader) {
    try {
      return reader.get();
    } catch (Pem.InvalidPemException e) {
      throw refused(source, "Secret " + source.secret() + " key " + key + " " + e.getMessage());
    }
  }

  /** The chain in {@code tls.crt} must lead to one of {@code authorities}, each link valid now. */
  private static void signedBy(Source source, Leaf leaf, List<X509Certificate> authorities, String trusted, Instant now) {
    X509Certificate top = leaf.chain().get(leaf.chain().size() - 1);
    List<X509Certificate> anchors = authorities.stream()
        .filter(authority -> verifies(top, authority) || top.equals(authority)).toList();
    if (anchors.isEmpty()) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(leaf.chain().get(0))
          + ", issued by " + top.getIssuerX500Principal().getName() + ") is not signed by any authority in " + trusted
          + " (" + authorities.stream().map(ProvidedCertificates::subject).collect(Collectors.joining(", ")) + ")");
    }
    // PKIX never checks a trust anchor's validity; Go's TLS (etcd's) does
    if (anchors.stream().noneMatch(authority -> !authority.getNotAfter().toInstant().isBefore(now)
        && !authority.getNotBefore().toInstant().isAfter(now))) {
      throw refused(source, "Secret " + source.secret() + ": the authority in " + trusted + " that signed "
          + CERTIFICATE + " (" + subject(anchors.get(0)) + ") is valid only from " + anchors.get(0).getNotBefore().toInstant()
          + " to " + anchors.get(0).getNotAfter().toInstant());
    }
    try {
      Set<TrustAnchor> trustAnchors = authorities.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
      PKIXParameters parameters = new PKIXParameters(trustAnchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain()), parameters);
    } catch (CertPathValidatorException e) {
      throw refused(source, "Secret " + source.secret() + ": the chain of " + CERTIFICATE + " to " + trusted
          + " does not validate: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw refused(source, "Secret " + source.secret() + ": cannot check the chain of " + CERTIFICATE + ": " + e.getMessage());
    }
  }

  private static boolean verifies(X509Certificate certificate, X509Certificate authority) {
    try {
      certificate.verify(authority.getPublicKey());
      return true;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** A certificate without extended key usages may be used for anything (as Go's TLS treats it). */
  private static void usages(Source source, X509Certificate certificate, List<String> needed) {
    List<String> present;
    try {
      present = certificate.getExtendedKeyUsage();
    } catch (GeneralSecurityException e) {
      throw refused(source, "Secret " + source.secret() + ": unreadable extended key usage: " + e.getMessage());
    }
    if (present == null || present.contains(ANY_USAGE)) {
      return;
    }
    List<String> missing = needed.stream().filter(usage -> !present.contains(usage)).toList();
    if (!missing.isEmpty()) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(certificate)
          + ") lacks the extended key usage " + missing.stream().map(ProvidedCertificates::usageName)
          .collect(Collectors.joining(" and ")) + " (needed: " + needed.stream().map(ProvidedCertificates::usageName)
          .collect(Collectors.joining(", ")) + ")");
    }
  }

  private static String usageName(String oid) {
    return switch (oid) {
      case SERVER_AUTH -> "serverAuth";
      case CLIENT_AUTH -> "clientAuth";
      default -> oid;
    };
  }

  private static void names(Source source, X509Certificate certificate, List<String> hosts) {
    List<String> dnsNames = dnsNames(certificate);
    List<String> missing = hosts.stream().filter(host -> dnsNames.stream().noneMatch(name -> HostNames.matches(name, host)))
        .toList();
    if (!missing.isEmpty()) {
      throw refused(source, "Secret " + source.secret() + ": " + CERTIFICATE + " (" + subject(certificate)
          + ") has no subject alternative name for " + String.join(", ", missing) + " (it names "
          + (dnsNames.isEmpty() ? "none" : String.join(", ", dnsNames)) + "); a wildcard *."
          + missing.get(0).substring(missing.get(0).indexOf('.') + 1) + " covers every member");
    }
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names.stream().filter(name -> Integer.valueOf(2).equals(name.get(0)))
          .map(name -> String.valueOf(name.get(1)).toLowerCase(Locale.ROOT)).toList();
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static TlsMaterialException refused(Source source, String problem) {
    return new TlsMaterialException(source.field() + ": " + problem + "; " + source.fix());
  }
}
