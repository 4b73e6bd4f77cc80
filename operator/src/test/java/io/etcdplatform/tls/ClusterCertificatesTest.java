package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCertificatesTest {

  private static final String AUTHORITIES = "main-tls-ca";
  private final Instant now = Instant.parse("2026-12-02T00:00:00Z");
  private final TlsSettings settings = new TlsSettings("main", "prod", "cluster.local", Duration.ofDays(90),
      Duration.ofDays(30), Duration.ofDays(3650));
  private final ClusterCertificates.Contents none = new ClusterCertificates.Contents(Map.of(), Map.of(), Map.of());

  @Test
  void aNewClusterGetsBothAuthoritiesTheMembersCertificatesAndTheOperatorsIdentity() {
    var plan = ClusterCertificates.plan(settings, none, AUTHORITIES, now);

    assertThat(plan.desired().authorities()).containsOnlyKeys("client-ca.crt", "client-ca.key", "peer-ca.crt", "peer-ca.key");
    assertThat(plan.desired().member()).containsOnlyKeys("server.crt", "server.key", "peer.crt", "peer.key",
        "client-ca.crt", "peer-ca.crt");
    assertThat(plan.desired().operator()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
    IssuedCertificate server = leaf(plan.desired().member(), "server");
    assertThat(server.certificate().getIssuerX500Principal().getName()).isEqualTo("CN=prod/main client CA");
    assertThat(leaf(plan.desired().member(), "peer").certificate().getIssuerX500Principal().getName())
        .isEqualTo("CN=prod/main peer CA");
    IssuedCertificate operator = IssuedCertificate.fromPem(plan.desired().operator().get("tls.crt"),
        plan.desired().operator().get("tls.key"));
    assertThat(operator.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=etcd-platform-operator");
    assertThat(plan.operator().trustedAuthoritiesPem()).isEqualTo(plan.desired().authorities().get("client-ca.crt"));
    assertThat(server.notAfter()).isEqualTo(now.plus(Duration.ofDays(90)));
  }

  @Test
  void whatStillServesIsKeptAsItIs() {
    var first = ClusterCertificates.plan(settings, none, AUTHORITIES, now).desired();

    var second = ClusterCertificates.plan(settings, first, AUTHORITIES, now.plus(Duration.ofDays(59))).desired();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void aLeafIsRenewedOnceInsideItsRenewalWindowUnderTheSameAuthorities() {
    var first = ClusterCertificates.plan(settings, none, AUTHORITIES, now).desired();

    var renewed = ClusterCertificates.plan(settings, first, AUTHORITIES, now.plus(Duration.ofDays(61))).desired();

    assertThat(renewed.authorities()).isEqualTo(first.authorities());
    assertThat(renewed.member().get("server.crt")).isNotEqualTo(first.member().get("server.crt"));
    assertThat(renewed.member().get("peer.crt")).isNotEqualTo(first.member().get("peer.crt"));
    assertThat(renewed.operator().get("tls.crt")).isNotEqualTo(first.operator().get("tls.crt"));
    assertThat(leaf(renewed.member(), "server").notAfter()).isEqualTo(now.plus(Duration.ofDays(61 + 90)));
  }

  @Test
  void aLeafFromAnotherAuthorityAKeyThatIsNotItsOwnOrOtherNamesIsReissued() {
    var first = ClusterCertificates.plan(settings, none, AUTHORITIES, now).desired();
    var stranger = ClusterCertificates.plan(settings, none, AUTHORITIES, now).desired();
    Map<String, String> member = new HashMap<>(first.member());
    member.put("server.crt", stranger.member().get("server.crt"));
    member.put("server.key", stranger.member().get("server.key"));
    member.put("peer.key", stranger.member().get("peer.key"));
    Map<String, String> operator = new HashMap<>(first.operator());
    operator.remove("tls.key");

    var mended = ClusterCertificates.plan(settings, new ClusterCertificates.Contents(first.authorities(), member, operator),
        AUTHORITIES, now).desired();

    assertThat(mended.member().get("server.crt")).isNotIn(first.member().get("server.crt"), stranger.member().get("server.crt"));
    assertThat(mended.member().get("peer.crt")).isNotEqualTo(first.member().get("peer.crt"));
    assertThat(mended.operator().get("tls.crt")).isNotEqualTo(first.operator().get("tls.crt"));
    assertThat(mended.authorities()).isEqualTo(first.authorities());

    var otherDomain = new TlsSettings("main", "prod", "corp.example", settings.leafValidity(), settings.renewBefore(),
        settings.authorityValidity());
    var renamed = ClusterCertificates.plan(otherDomain, first, AUTHORITIES, now).desired();
    assertThat(renamed.member().get("server.crt")).isNotEqualTo(first.member().get("server.crt"));
    assertThat(renamed.operator()).isEqualTo(first.operator());
  }

  @Test
  void authoritiesTheOperatorCannotUseAreRefusedNamingTheSecretAndTheFixNeverReplaced() {
    var first = ClusterCertificates.plan(settings, none, AUTHORITIES, now).desired();
    Map<String, String> withoutKey = new HashMap<>(first.authorities());
    withoutKey.remove("peer-ca.key");
    Map<String, String> swapped = new HashMap<>(first.authorities());
    swapped.put("client-ca.key", first.authorities().get("peer-ca.key"));
    Map<String, String> garbled = new HashMap<>(first.authorities());
    garbled.put("client-ca.crt", "not a certificate");

    for (var broken : List.of(withoutKey, swapped, garbled)) {
      assertThatThrownBy(() -> ClusterCertificates.plan(settings,
          new ClusterCertificates.Contents(broken, first.member(), first.operator()), AUTHORITIES, now))
          .isInstanceOf(TlsMaterialException.class)
          .hasMessageStartingWith("Secret main-tls-ca")
          .hasMessageContaining("delete Secret main-tls-ca to have new authorities made")
          .hasMessageNotContaining("PRIVATE KEY");
    }
    assertThatThrownBy(() -> ClusterCertificates.plan(settings, first, AUTHORITIES, now.plus(Duration.ofDays(3651))))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("expired");
  }

  private static IssuedCertificate leaf(Map<String, String> member, String name) {
    return IssuedCertificate.fromPem(member.get(name + ".crt"), member.get(name + ".key"));
  }
}
