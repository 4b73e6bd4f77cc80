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
import java.util.Optional;
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

  static final String NEXT = "-next";
  static final String RETIRED = "-retired";
  /** The annotation value that asked for the last rotation: the same value asks for none again. */
  static final String ROTATION_REQUEST = "rotation-request";
  static final String ROTATION_STARTED = "-rotation-started";

  /**
   * What a rotation is told this pass.
   *
   * @param request the value of the rotate-authority annotation, when set
   * @param authorityRenewBefore an authority this close to its expiry is rotated
   */
  public record Rotation(Optional<String> request, Duration authorityRenewBefore, AuthorityRotation.Members members) {

    /** No request, and members not known: a rotation under way waits, none begins. */
    public static final Rotation HOLD = new Rotation(Optional.empty(), Duration.ZERO,
        new AuthorityRotation.Members(List.of(), 1));
  }

  /** One plane's rotation decision this pass, and its authorities after it. */
  public record PlaneOutcome(String plane, AuthorityRotation.Decision decision, X509Certificate signing,
      Optional<X509Certificate> next, Optional<X509Certificate> retired, Optional<Instant> rotationStarted) {}

  /**
   * What the Secrets must hold, the operator's client identity from them, the digest of the members'
   * trust bundles (their pods carry it: a change restarts them one at a time) and each plane's rotation.
   */
  public record Plan(Contents desired, ClientTls operator, String trust, List<PlaneOutcome> planes) {}

  private ClusterCertificates() {}

  /**
   * @param authoritiesSecret the name of the authorities' Secret, for messages
   * @throws TlsMaterialException when the authorities' Secret exists but cannot serve
   */
  public static Plan plan(TlsSettings settings, Contents current, String authoritiesSecret, Instant now) {
    return plan(settings, current, authoritiesSecret, now, Rotation.HOLD);
  }

  /**
   * @throws TlsMaterialException when the authorities' Secret exists but cannot serve
   */
  public static Plan plan(TlsSettings settings, Contents current, String authoritiesSecret, Instant now,
      Rotation rotation) {
    Authorities held = current.authorities().isEmpty()
        ? Authorities.create(settings, now.minus(BACKDATE)) : Authorities.read(current.authorities(), authoritiesSecret, now);
    String heldTrust = Trust.digest(Stream.concat(
        Trust.of(current.member().get(MemberTlsFiles.CLIENT_AUTHORITY)).stream(),
        Trust.of(current.member().get(MemberTlsFiles.PEER_AUTHORITY)).stream()).toList());
    // a cluster created with the annotation starts with new authorities: the value asks for no rotation
    boolean created = current.authorities().isEmpty();
    boolean requested = !created && rotation.request().isPresent()
        && !rotation.request().get().equals(held.contents().get(ROTATION_REQUEST));
    var trigger = new AuthorityRotation.Trigger(requested, rotation.authorityRenewBefore());
    Map<String, String> authorities = new TreeMap<>(held.contents());
    var client = rotate("client", CLIENT_AUTHORITY, authorities, current.member().get(MemberTlsFiles.CLIENT_AUTHORITY),
        signedBy(held.client(), current.member().get(MemberTlsFiles.SERVER_CERTIFICATE),
            current.operator().get(OPERATOR_CERTIFICATE)), rotation, heldTrust, trigger, settings, now);
    var peer = rotate("peer", PEER_AUTHORITY, authorities, current.member().get(MemberTlsFiles.PEER_AUTHORITY),
        signedBy(held.peer(), current.member().get(MemberTlsFiles.PEER_CERTIFICATE)), rotation, heldTrust, trigger,
        settings, now);
    if (created && rotation.request().isPresent()
        || requested && (client.action() == AuthorityRotation.Action.Begin || peer.action() == AuthorityRotation.Action.Begin)) {
      authorities.put(ROTATION_REQUEST, rotation.request().get());
    }
    Authorities signing = Authorities.read(authorities, authoritiesSecret, now);
    // a promotion issues both member leaves again, so that a served server certificate tells whether a
    // member's mounted Secret (updated as a whole) holds the new peer certificate too
    boolean reissue = client.action() == AuthorityRotation.Action.Promote || peer.action() == AuthorityRotation.Action.Promote;
    Map<String, String> kept = reissue ? Map.of() : current.member();
    List<String> names = ServingNames.dnsNames(settings.cluster(), settings.namespace(), settings.clusterDomain());
    Map<String, String> member = new TreeMap<>();
    member.putAll(leaf(kept, MemberTlsFiles.SERVER_CERTIFICATE, MemberTlsFiles.SERVER_KEY,
        signing.client(), serving(settings, names, now), now, settings));
    member.putAll(leaf(kept, MemberTlsFiles.PEER_CERTIFICATE, MemberTlsFiles.PEER_KEY,
        signing.peer(), serving(settings, names, now), now, settings));
    String clientBundle = bundle(authorities, CLIENT_AUTHORITY, current.member().get(MemberTlsFiles.CLIENT_AUTHORITY),
        client.action());
    String peerBundle = bundle(authorities, PEER_AUTHORITY, current.member().get(MemberTlsFiles.PEER_AUTHORITY),
        peer.action());
    member.put(MemberTlsFiles.CLIENT_AUTHORITY, clientBundle);
    member.put(MemberTlsFiles.PEER_AUTHORITY, peerBundle);
    Map<String, String> operator = new TreeMap<>(leaf(current.operator(), OPERATOR_CERTIFICATE, OPERATOR_KEY,
        signing.client(), LeafRequest.client(OPERATOR_IDENTITY, now.minus(BACKDATE), now.plus(settings.leafValidity())), now, settings));
    operator.put(OPERATOR_AUTHORITY, clientBundle);
    Contents desired = new Contents(authorities, member, operator);
    String trust = Trust.digest(Stream.concat(Trust.of(clientBundle).stream(), Trust.of(peerBundle).stream()).toList());
    return new Plan(desired, new ClientTls(operator.get(OPERATOR_AUTHORITY), operator.get(OPERATOR_CERTIFICATE),
        operator.get(OPERATOR_KEY)), trust, List.of(outcome("client", CLIENT_AUTHORITY, authorities, client),
        outcome("peer", PEER_AUTHORITY, authorities, peer)));
  }

  /** One plane's rotation step, carried out on {@code authorities} (the authorities' Secret's data, changed in place). */
  private static AuthorityRotation.Decision rotate(String plane, String key, Map<String, String> authorities,
      String heldBundle, boolean leavesSignedBySigning, Rotation rotation, String heldTrust,
      AuthorityRotation.Trigger trigger, TlsSettings settings, Instant now) {
    var hold = new AuthorityRotation.PlaneHold(certificate(authorities.get(key)),
        Optional.ofNullable(authorities.get(named(key, NEXT))).map(ClusterCertificates::certificate),
        Optional.ofNullable(authorities.get(named(key, RETIRED))).map(ClusterCertificates::certificate),
        Trust.of(heldBundle), leavesSignedBySigning);
    var decision = AuthorityRotation.next(plane, hold, rotation.members(), heldTrust, trigger, now);
    String started = plane + ROTATION_STARTED;
    switch (decision.action()) {
      case Begin -> {
        Instant from = now.minus(BACKDATE);
        CertificateAuthority next = CertificateAuthority.create(settings.namespace() + "/" + settings.cluster() + " "
            + plane + " CA " + now.getEpochSecond(), from, from.plus(settings.authorityValidity()));
        authorities.put(named(key, NEXT), next.certificate().certificatePem());
        authorities.put(named(key, NEXT).replace(".crt", ".key"), next.certificate().keyPem());
        authorities.put(started, now.toString());
      }
      case Promote -> {
        authorities.put(named(key, RETIRED), authorities.get(key));
        authorities.put(key, authorities.remove(named(key, NEXT)));
        authorities.put(key.replace(".crt", ".key"), authorities.remove(named(key, NEXT).replace(".crt", ".key")));
      }
      case Finish -> {
        authorities.remove(named(key, RETIRED));
        authorities.remove(started);
      }
      case Drop, None -> { }
    }
    return decision;
  }

  /** The plane's trust bundle: the signing authority, the next one, and the retired one until it is dropped. */
  private static String bundle(Map<String, String> authorities, String key, String heldBundle,
      AuthorityRotation.Action action) {
    List<X509Certificate> trusted = new java.util.ArrayList<>(Trust.of(authorities.get(key)));
    Optional.ofNullable(authorities.get(named(key, NEXT))).map(ClusterCertificates::certificate).ifPresent(trusted::add);
    Optional.ofNullable(authorities.get(named(key, RETIRED))).map(ClusterCertificates::certificate)
        .filter(retired -> action != AuthorityRotation.Action.Drop && Trust.contains(Trust.of(heldBundle), retired))
        .ifPresent(trusted::add);
    return Pem.certificates(trusted);
  }

  private static PlaneOutcome outcome(String plane, String key, Map<String, String> authorities,
      AuthorityRotation.Decision decision) {
    return new PlaneOutcome(plane, decision, certificate(authorities.get(key)),
        Optional.ofNullable(authorities.get(named(key, NEXT))).map(ClusterCertificates::certificate),
        Optional.ofNullable(authorities.get(named(key, RETIRED))).map(ClusterCertificates::certificate),
        Optional.ofNullable(authorities.get(plane + ROTATION_STARTED)).map(Instant::parse));
  }

  /** {@code client-ca.crt} with {@code -next}: {@code client-ca-next.crt}. */
  static String named(String key, String suffix) {
    return key.replace(".crt", suffix + ".crt");
  }

  private static X509Certificate certificate(String pem) {
    return Pem.readCertificates(pem).get(0);
  }

  /** Every one of the leaves (those present) is signed by {@code authority}. */
  private static boolean signedBy(CertificateAuthority authority, String... leaves) {
    for (String leaf : leaves) {
      if (leaf == null) {
        continue;
      }
      try {
        Pem.readCertificates(leaf).get(0).verify(authority.certificate().certificate().getPublicKey());
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        return false;
      }
    }
    return true;
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
