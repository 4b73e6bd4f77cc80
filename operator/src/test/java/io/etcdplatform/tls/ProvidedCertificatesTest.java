package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Certificates a person (or cert-manager) keeps, validated without a cluster, against BouncyCastle-made bad ones. */
class ProvidedCertificatesTest {

  private static final String FIELD = "spec.tls.bringYourOwn.";
  private final Instant now = Instant.parse("2026-12-02T00:00:00Z");
  private final CertificateAuthority clientCa = CertificateAuthority.create("client CA", now.minus(days(1)), now.plus(days(3650)));
  private final CertificateAuthority peerCa = CertificateAuthority.create("peer CA", now.minus(days(1)), now.plus(days(3650)));
  private final List<String> servingNames = ServingNames.dnsNames("main", "prod", "cluster.local");

  @Test
  void validCertificatesAreProjectedIntoTheMembersAndTheOperatorsSecretLayout() {
    Map<String, String> server = serving(clientCa, servingNames, now.plus(days(90)));
    Map<String, String> peer = serving(peerCa, servingNames, now.plus(days(90)));
    Map<String, String> operator = client(clientCa, now.plus(days(90)));

    var projection = ProvidedCertificates.validate(request(server, peer, operator), now);

    assertThat(projection.member()).containsOnlyKeys("server.crt", "server.key", "peer.crt", "peer.key",
        "client-ca.crt", "peer-ca.crt");
    assertThat(projection.member().get("server.crt")).isEqualTo(server.get("tls.crt"));
    assertThat(projection.member().get("peer.key")).isEqualTo(peer.get("tls.key"));
    assertThat(projection.member().get("client-ca.crt")).isEqualTo(server.get("ca.crt"));
    assertThat(projection.member().get("peer-ca.crt")).isEqualTo(peer.get("ca.crt"));
    assertThat(projection.operator()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
    assertThat(projection.operatorIdentity().trustedAuthoritiesPem()).isEqualTo(server.get("ca.crt"));
    assertThat(projection.operatorIdentity().certificatePem()).isEqualTo(operator.get("tls.crt"));
    assertThat(ProvidedCertificates.validate(request(server, peer, operator), now)).isEqualTo(projection);
  }

  @Test
  void theExactNamesOfEveryMemberServeAsWellAsAWildcard() {
    List<String> exact = List.of("main-0.main-peer.prod.svc", "main-1.main-peer.prod.svc", "main-2.main-peer.prod.svc",
        "main-client.prod.svc");
    var request = request(serving(clientCa, exact, now.plus(days(90))), serving(peerCa, exact, now.plus(days(90))),
        client(clientCa, now.plus(days(90))));

    assertThat(ProvidedCertificates.validate(request, now).member()).isNotEmpty();
  }

  @Test
  void aChainWithItsAuthorityInTlsCrtAsCertManagerWritesItServes() {
    Map<String, String> server = serving(clientCa, servingNames, now.plus(days(90)));
    server.put("tls.crt", server.get("tls.crt") + clientCa.certificate().certificatePem());

    var projection = ProvidedCertificates.validate(request(server, serving(peerCa, servingNames, now.plus(days(90))),
        client(clientCa, now.plus(days(90)))), now);

    assertThat(projection.member().get("server.crt")).isEqualTo(server.get("tls.crt"));
  }

  @Test
  void aTraditionalEcKeyOfTheOperatorIsProjectedAsPkcs8ForJetcd() {
    Map<String, String> operator = client(clientCa, now.plus(days(90)));
    String traditional = traditionalEcKey(operator.get("tls.key"));
    operator.put("tls.key", traditional);

    var projection = ProvidedCertificates.validate(request(serving(clientCa, servingNames, now.plus(days(90))),
        serving(peerCa, servingNames, now.plus(days(90))), operator), now);

    assertThat(traditional).contains("BEGIN EC PRIVATE KEY");
    assertThat(projection.operator().get("tls.key")).contains("BEGIN PRIVATE KEY");
  }

  @Test
  void aMissingSecretNamesItsField() {
    assertRefused(valid(), r -> withClient(r, null), FIELD + "client.secretName: Secret main-server does not exist in namespace prod; "
        + "fix Secret main-server or name another");
    assertRefused(valid(), r -> withOperator(r, null), FIELD + "operator.secretName: Secret main-operator does not exist");
  }

  @Test
  void aSecretWithoutAKeyNamesTheKey() {
    for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
      assertRefused(valid(), r -> withPeer(r, without(r.peer().data(), key)),
          FIELD + "peer.secretName: Secret main-peer has no key " + key + ";");
    }
    assertRefused(valid(), r -> withOperator(r, without(r.operator().data(), "tls.key")),
        FIELD + "operator.secretName: Secret main-operator has no key tls.key;");
  }

  @Test
  void textThatIsNoPemIsRefused() {
    assertRefused(valid(), r -> withClient(r, with(r.client().data(), "tls.crt", "not a certificate")),
        FIELD + "client.secretName: Secret main-server key tls.crt holds no PEM CERTIFICATE block;");
    assertRefused(valid(), r -> withClient(r, with(r.client().data(), "ca.crt", "")),
        FIELD + "client.secretName: Secret main-server has no key ca.crt;");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    Map<String, String> other = serving(clientCa, servingNames, now.plus(days(90)));
    assertRefused(valid(), r -> withClient(r, with(r.client().data(), "tls.key", other.get("tls.key"))),
        FIELD + "client.secretName: Secret main-server: tls.key is not the private key of tls.crt;");
  }

  @Test
  void aCertificateTheBundledAuthorityDidNotSignIsRefused() {
    CertificateAuthority stranger = CertificateAuthority.create("stranger CA", now.minus(days(1)), now.plus(days(10)));
    Map<String, String> foreign = serving(stranger, servingNames, now.plus(days(90)));
    foreign.put("ca.crt", clientCa.certificate().certificatePem());
    assertRefused(valid(), r -> withClient(r, foreign), FIELD + "client.secretName: Secret main-server: tls.crt (CN=main, "
        + "issued by CN=stranger CA) is not signed by any authority in its ca.crt (CN=client CA);");
  }

  @Test
  void theOperatorsCertificateMustBeSignedByTheClientPlanesAuthority() {
    assertRefused(valid(), r -> withOperator(r, client(peerCa, now.plus(days(90)))),
        FIELD + "operator.secretName: Secret main-operator: tls.crt (CN=etcd-platform-operator, issued by CN=peer CA) is not "
            + "signed by any authority in the client plane's ca.crt (spec.tls.bringYourOwn.client.secretName) (CN=client CA);");
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsRefused() {
    IssuedCertificate expired = clientCa.issue(new LeafRequest("main", CertificateUsage.SERVER_AND_CLIENT, servingNames,
        List.of(), now.minus(days(30)), now.minus(days(1))));
    assertRefused(valid(), r -> withClient(r, secret(expired, clientCa)),
        FIELD + "client.secretName: Secret main-server: tls.crt (CN=main) expired at 2026-12-01T00:00:00Z;");
    IssuedCertificate early = clientCa.issue(new LeafRequest("main", CertificateUsage.SERVER_AND_CLIENT, servingNames,
        List.of(), now.plus(days(1)), now.plus(days(30))));
    assertRefused(valid(), r -> withClient(r, secret(early, clientCa)),
        FIELD + "client.secretName: Secret main-server: tls.crt (CN=main) is not valid before 2026-12-03T00:00:00Z;");
  }

  @Test
  void anExpiredAuthorityIsRefusedThoughTheLeafIsStillValid() {
    CertificateAuthority old = CertificateAuthority.create("old CA", now.minus(days(30)), now.minus(days(1)));
    IssuedCertificate leaf = old.issue(new LeafRequest("main", CertificateUsage.SERVER_AND_CLIENT, servingNames, List.of(),
        now.minus(days(2)), now.plus(days(30))));
    assertRefused(valid(), r -> withPeer(r, secret(leaf, old)),
        FIELD + "peer.secretName: Secret main-peer: the authority in its ca.crt that signed tls.crt (CN=old CA) is valid "
            + "only from 2026-11-02T00:00:00Z to 2026-12-01T00:00:00Z;");
  }

  @Test
  void aServerCertificateWithoutServerAuthOrClientAuthIsRefused() {
    IssuedCertificate clientOnly = clientCa.issue(new LeafRequest("main", CertificateUsage.CLIENT, servingNames, List.of(),
        now.minus(days(1)), now.plus(days(30))));
    assertRefused(valid(), r -> withClient(r, secret(clientOnly, clientCa)),
        FIELD + "client.secretName: Secret main-server: tls.crt (CN=main) lacks the extended key usage serverAuth "
            + "(needed: serverAuth, clientAuth);");
    assertRefused(valid(), r -> withPeer(r, secret(peerCa.issue(new LeafRequest("main", CertificateUsage.CLIENT, servingNames,
        List.of(), now.minus(days(1)), now.plus(days(30)))), peerCa)), FIELD + "peer.secretName: Secret main-peer: tls.crt");
  }

  @Test
  void aServerCertificateAsTheOperatorsIdentityIsAcceptedOnlyForItsClientAuthUsage() {
    // a serving certificate also has clientAuth: it dials; a CA certificate never serves as a leaf
    assertRefused(valid(), r -> withOperator(r, secret(clientCa.certificate(), clientCa)),
        FIELD + "operator.secretName: Secret main-operator: tls.crt (CN=client CA) is a certificate authority, not a leaf certificate;");
  }

  @Test
  void aServerCertificateMissingAMembersNameIsRefusedWithTheWildcardThatWouldServe() {
    List<String> twoMembers = List.of("main-0.main-peer.prod.svc", "main-1.main-peer.prod.svc", "main-client.prod.svc");
    assertRefused(valid(), r -> withClient(r, serving(clientCa, twoMembers, now.plus(days(90)))),
        FIELD + "client.secretName: Secret main-server: tls.crt (CN=main) has no subject alternative name for "
            + "main-2.main-peer.prod.svc (it names main-0.main-peer.prod.svc, main-1.main-peer.prod.svc, main-client.prod.svc); "
            + "a wildcard *.main-peer.prod.svc covers every member;");
    List<String> noClientService = List.of("*.main-peer.prod.svc");
    assertRefused(valid(), r -> withClient(r, serving(clientCa, noClientService, now.plus(days(90)))),
        "has no subject alternative name for main-client.prod.svc");
    // the peer plane needs only the members' names
    var request = withPeer(valid(), serving(peerCa, noClientService, now.plus(days(90))));
    assertThat(ProvidedCertificates.validate(request, now).member()).isNotEmpty();
  }

  @Test
  void aWildcardCoversOneLabelOnly() {
    assertThat(HostNames.matches("*.main-peer.prod.svc", "main-0.main-peer.prod.svc")).isTrue();
    assertThat(HostNames.matches("*.main-peer.prod.svc", "a.main-0.main-peer.prod.svc")).isFalse();
    assertThat(HostNames.matches("*.prod.svc", "main-0.main-peer.prod.svc")).isFalse();
    assertThat(HostNames.matches("MAIN-client.prod.svc.", "main-client.prod.svc")).isTrue();
  }

  @Test
  void theMessageNeverHoldsTheKey() {
    Map<String, String> other = serving(clientCa, servingNames, now.plus(days(90)));
    var request = withClient(valid(), with(valid().client().data(), "tls.key", other.get("tls.key")));
    assertThatThrownBy(() -> ProvidedCertificates.validate(request, now))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageNotContaining("PRIVATE KEY").hasMessageNotContaining(other.get("tls.key").substring(30, 60));
  }

  private void assertRefused(ProvidedCertificates.Request valid, UnaryOperator<ProvidedCertificates.Request> breakIt,
      String messageStart) {
    assertThatThrownBy(() -> ProvidedCertificates.validate(breakIt.apply(valid), now))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageStartingWith(messageStart.substring(0, Math.min(messageStart.length(), messageStart.indexOf(':') + 1)))
        .hasMessageContaining(messageStart.substring(messageStart.indexOf(':') + 1).trim())
        .hasMessageEndingWith("members keep serving the certificates they have");
  }

  private ProvidedCertificates.Request valid() {
    return request(serving(clientCa, servingNames, now.plus(days(90))), serving(peerCa, servingNames, now.plus(days(90))),
        client(clientCa, now.plus(days(90))));
  }

  private static ProvidedCertificates.Request request(Map<String, String> server, Map<String, String> peer,
      Map<String, String> operator) {
    return new ProvidedCertificates.Request("prod", ProvidedCertificates.memberHosts("main", "prod", 3),
        ProvidedCertificates.clientHosts("main", "prod"), source("client", "main-server", server),
        source("peer", "main-peer", peer), source("operator", "main-operator", operator));
  }

  private static ProvidedCertificates.Source source(String plane, String secret, Map<String, String> data) {
    String field = FIELD + plane + ".secretName";
    return new ProvidedCertificates.Source(field, secret, data, "fix Secret " + secret + " or name another in " + field
        + "; members keep serving the certificates they have");
  }

  private static ProvidedCertificates.Request withClient(ProvidedCertificates.Request r, Map<String, String> data) {
    return new ProvidedCertificates.Request(r.namespace(), r.memberHosts(), r.clientHosts(),
        source("client", "main-server", data), r.peer(), r.operator());
  }

  private static ProvidedCertificates.Request withPeer(ProvidedCertificates.Request r, Map<String, String> data) {
    return new ProvidedCertificates.Request(r.namespace(), r.memberHosts(), r.clientHosts(), r.client(),
        source("peer", "main-peer", data), r.operator());
  }

  private static ProvidedCertificates.Request withOperator(ProvidedCertificates.Request r, Map<String, String> data) {
    return new ProvidedCertificates.Request(r.namespace(), r.memberHosts(), r.clientHosts(), r.client(), r.peer(),
        source("operator", "main-operator", data));
  }

  private Map<String, String> serving(CertificateAuthority authority, List<String> dnsNames, Instant notAfter) {
    return secret(authority.issue(new LeafRequest("main", CertificateUsage.SERVER_AND_CLIENT, dnsNames,
        ServingNames.ipAddresses(), now.minus(days(1)), notAfter)), authority);
  }

  private Map<String, String> client(CertificateAuthority authority, Instant notAfter) {
    return secret(authority.issue(LeafRequest.client(ClusterCertificates.OPERATOR_IDENTITY, now.minus(days(1)), notAfter)),
        authority);
  }

  private static Map<String, String> secret(IssuedCertificate issued, CertificateAuthority authority) {
    Map<String, String> data = new HashMap<>();
    data.put("tls.crt", issued.certificatePem());
    data.put("tls.key", issued.keyPem());
    data.put("ca.crt", authority.certificate().certificatePem());
    return data;
  }

  private static Map<String, String> without(Map<String, String> data, String key) {
    Map<String, String> copy = new HashMap<>(data);
    copy.remove(key);
    return copy;
  }

  private static Map<String, String> with(Map<String, String> data, String key, String value) {
    Map<String, String> copy = new HashMap<>(data);
    copy.put(key, value);
    return copy;
  }

  /** The OpenSSL "EC PRIVATE KEY" (SEC 1) form of a PKCS#8 key, curve named inside as openssl writes it. */
  private static String traditionalEcKey(String pkcs8) {
    try {
      var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(Pem.readPrivateKey(pkcs8).getEncoded());
      var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
          info.getPrivateKeyAlgorithm().getParameters());
      var writer = new java.io.StringWriter();
      try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(writer)) {
        pem.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
      }
      return writer.toString();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration days(int days) {
    return Duration.ofDays(days);
  }
}
