package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DNS = 2;
  private static final int IP = 7;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final CertificateAuthority authority = CertificateAuthority.create("c1 client CA", now, now.plus(Duration.ofDays(365)));

  @Test
  void aServerCertificateChainsToItsAuthorityServesAndDialsUnderEveryNameAsked() throws Exception {
    IssuedCertificate server = authority.issue(new LeafRequest("c1 member", CertificateUsage.SERVER_AND_CLIENT,
        List.of("*.c1-peer.ns.svc", "c1-client.ns.svc"), List.of("127.0.0.1"), now, now.plus(Duration.ofDays(90))));

    validate(server.certificate(), authority);
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(server.certificate().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(DNS, "*.c1-peer.ns.svc"), List.of(DNS, "c1-client.ns.svc"), List.of(IP, "127.0.0.1"));
    assertThat(server.certificate().getBasicConstraints()).isEqualTo(-1);
    assertThat(server.notBefore()).isEqualTo(now);
    assertThat(server.notAfter()).isEqualTo(now.plus(Duration.ofDays(90)));
  }

  @Test
  void aClientCertificateOnlyDialsAndNamesItsHolder() throws Exception {
    IssuedCertificate client = authority.issue(LeafRequest.client("etcd-platform-operator", now, now.plus(Duration.ofDays(30))));

    validate(client.certificate(), authority);
    assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(client.certificate().getSubjectAlternativeNames()).isNull();
    assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=etcd-platform-operator");
  }

  @Test
  void anotherAuthorityDoesNotVouchForTheCertificate() {
    CertificateAuthority other = CertificateAuthority.create("c1 client CA", now, now.plus(Duration.ofDays(365)));
    IssuedCertificate client = other.issue(LeafRequest.client("intruder", now, now.plus(Duration.ofDays(1))));

    assertThatThrownBy(() -> validate(client.certificate(), authority)).isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void pemRoundTripsKeepTheCertificateAndItsKeyAndTheAuthorityStillSigns() throws Exception {
    IssuedCertificate kept = IssuedCertificate.fromPem(authority.certificate().certificatePem(), authority.certificate().keyPem());
    assertThat(kept.certificate()).isEqualTo(authority.certificate().certificate());
    assertThat(kept.key().getEncoded()).isEqualTo(authority.certificate().key().getEncoded());
    assertThat(authority.certificate().keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");

    IssuedCertificate leaf = CertificateAuthority.of(kept).issue(LeafRequest.client("u", now, now.plusSeconds(60)));
    validate(leaf.certificate(), authority);
  }

  @Test
  void aLeafIsNotAnAuthorityAndBadPemSaysSoWithoutEchoingIt() {
    IssuedCertificate leaf = authority.issue(LeafRequest.client("u", now, now.plusSeconds(60)));
    assertThatThrownBy(() -> CertificateAuthority.of(leaf)).hasMessageContaining("not a certificate authority");
    assertThatThrownBy(() -> Pem.readCertificates("secret-looking text")).hasMessage("holds no PEM CERTIFICATE block")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Pem.readPrivateKey(leaf.certificatePem())).hasMessage("holds no unencrypted PEM private key");
    assertThatThrownBy(() -> new LeafRequest("u", CertificateUsage.CLIENT, List.of(), List.of(), now, now))
        .hasMessageContaining("notAfter");
  }

  private static void validate(X509Certificate leaf, CertificateAuthority trusted) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted.certificate().certificate(), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(Instant.now().plusSeconds(1)));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }
}
