package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.tls.AuthorityRotation.Members;
import io.etcdplatform.tls.AuthorityRotation.MemberTrust;
import io.etcdplatform.tls.AuthorityRotation.Phase;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A whole rotation through the Secrets' contents, pass by pass, with members that restart onto
 * what the Secrets trust and serve what they hold; an operator stopped between any two writes.
 */
class ClusterCertificatesRotationTest {

  private static final String SECRET = "main-tls-ca";
  private final Instant now = Instant.parse("2026-12-02T00:00:00Z");
  private final TlsSettings settings = new TlsSettings("main", "prod", "cluster.local", Duration.ofDays(90),
      Duration.ofDays(30), Duration.ofDays(3650));

  @Test
  void bothPlanesWalkTrustingReissuingDroppingToIdleAndEveryMemberTrustsTheNewAuthorityBeforeItSigns() {
    var contents = ClusterCertificates.plan(settings, empty(), SECRET, now).desired();
    String oldClient = contents.authorities().get("client-ca.crt");
    String oldPeer = contents.authorities().get("peer-ca.crt");
    String trustOfPods = digest(contents);
    BigInteger served = serial(contents);

    // asked: the new authorities are kept and trusted beside the old ones; nothing is signed by them yet
    var plan = plan(contents, "1", trustOfPods, served);
    assertThat(phases(plan)).containsOnly(Phase.Trusting);
    contents = plan.desired();
    assertThat(contents.authorities()).containsKeys("client-ca-next.crt", "peer-ca-next.crt");
    assertThat(Trust.of(contents.member().get("client-ca.crt"))).hasSize(2);
    assertThat(Trust.of(contents.operator().get("ca.crt"))).hasSize(2);
    assertThat(signedBy(contents.member().get("server.crt"), oldClient)).isTrue();
    assertThat(plan.trust()).isNotEqualTo(trustOfPods);

    // members not yet restarted: no promotion however often the operator passes
    for (int i = 0; i < 3; i++) {
      plan = plan(contents, "1", trustOfPods, served);
      assertThat(plan.desired()).isEqualTo(contents);
    }
    // two of three restarted
    plan = plan(contents, "1", new Members(List.of(pod(0, plan.trust(), true), pod(1, plan.trust(), true),
        pod(2, trustOfPods, true)), 3));
    assertThat(plan.desired()).isEqualTo(contents);

    // all restarted with the bundle: the new authorities sign, every leaf is issued again
    trustOfPods = plan.trust();
    plan = plan(contents, "1", trustOfPods, served);
    assertThat(phases(plan)).containsOnly(Phase.Reissuing);
    contents = plan.desired();
    assertThat(contents.authorities()).containsKeys("client-ca-retired.crt", "peer-ca-retired.crt")
        .doesNotContainKeys("client-ca-next.crt", "peer-ca-next.crt");
    assertThat(contents.authorities().get("client-ca-retired.crt")).isEqualTo(oldClient);
    assertThat(signedBy(contents.member().get("server.crt"), oldClient)).isFalse();
    assertThat(signedBy(contents.member().get("server.crt"), contents.authorities().get("client-ca.crt"))).isTrue();
    assertThat(signedBy(contents.member().get("peer.crt"), contents.authorities().get("peer-ca.crt"))).isTrue();
    assertThat(signedBy(contents.operator().get("tls.crt"), contents.authorities().get("client-ca.crt"))).isTrue();
    assertThat(plan.trust()).as("the same authorities trusted: no restart").isEqualTo(trustOfPods);

    // the members still serve the old leaves: the old authority stays trusted
    plan = plan(contents, "1", trustOfPods, served);
    assertThat(plan.desired()).isEqualTo(contents);
    // they serve the new ones: the old authority leaves the bundles
    served = serial(contents);
    plan = plan(contents, "1", trustOfPods, served);
    assertThat(phases(plan)).containsOnly(Phase.Dropping);
    contents = plan.desired();
    assertThat(Trust.of(contents.member().get("client-ca.crt"))).hasSize(1);
    assertThat(Trust.of(contents.operator().get("ca.crt"))).hasSize(1);
    assertThat(Trust.contains(Trust.of(contents.member().get("peer-ca.crt")), Trust.of(oldPeer).get(0))).isFalse();
    assertThat(plan.trust()).isNotEqualTo(trustOfPods);

    // rolled again: done, and the same annotation value asks for nothing more
    trustOfPods = plan.trust();
    plan = plan(contents, "1", trustOfPods, served);
    assertThat(phases(plan)).containsOnly(Phase.Idle);
    contents = plan.desired();
    assertThat(contents.authorities()).containsOnlyKeys("client-ca.crt", "client-ca.key", "peer-ca.crt", "peer-ca.key",
        "rotation-request");
    assertThat(plan(contents, "1", trustOfPods, served).desired()).isEqualTo(contents);
    assertThat(phases(plan(contents, "2", trustOfPods, served))).containsOnly(Phase.Trusting);
  }

  @Test
  void anOperatorStoppedAfterWritingTheNewAuthorityWritesTheBundleNextAndPromotesNothing() {
    var settled = ClusterCertificates.plan(settings, empty(), SECRET, now).desired();
    String trust = digest(settled);
    var begun = plan(settled, "1", trust, serial(settled)).desired();
    // only the authorities' Secret was written
    var stopped = new ClusterCertificates.Contents(begun.authorities(), settled.member(), settled.operator());
    // even with pods that claim the old digest matches, nothing is promoted before the bundle is written
    var plan = plan(stopped, "1", trust, serial(settled));
    assertThat(phases(plan)).containsOnly(Phase.Trusting);
    assertThat(plan.desired().authorities()).isEqualTo(begun.authorities());
    assertThat(plan.desired().member()).isEqualTo(begun.member());
  }

  @Test
  void anOperatorStoppedAfterThePromotionIssuesTheLeavesOnTheNextPass() {
    var contents = ClusterCertificates.plan(settings, empty(), SECRET, now).desired();
    contents = plan(contents, "1", digest(contents), serial(contents)).desired();
    var before = contents;
    var promoted = plan(contents, "1", digest(contents), serial(contents)).desired();
    // only the authorities' Secret was written: the members' leaves are still the old authority's
    var stopped = new ClusterCertificates.Contents(promoted.authorities(), before.member(), before.operator());
    var plan = plan(stopped, "1", digest(before), serial(before));
    assertThat(phases(plan)).containsOnly(Phase.Reissuing);
    assertThat(signedBy(plan.desired().member().get("server.crt"), promoted.authorities().get("client-ca.crt"))).isTrue();
    assertThat(Trust.of(plan.desired().member().get("client-ca.crt"))).hasSize(2);
  }

  /** Every member started with the trust {@code trust} and serves the leaf of serial {@code served}. */
  private ClusterCertificates.Plan plan(ClusterCertificates.Contents current, String request, String trust,
      BigInteger served) {
    boolean serves = current.member().containsKey("server.crt") && served.equals(serial(current));
    return plan(current, request, new Members(IntStream.range(0, 3).mapToObj(i -> pod(i, trust, serves)).toList(), 3));
  }

  @Test
  void aClusterCreatedWithTheAnnotationStartsWithNewAuthoritiesAndRotatesOnlyOnANewValue() {
    var created = plan(empty(), "1", "", BigInteger.ONE);
    assertThat(phases(created)).containsOnly(Phase.Idle);
    assertThat(created.desired().authorities()).containsEntry("rotation-request", "1")
        .doesNotContainKeys("client-ca-next.crt", "peer-ca-next.crt");
    var again = plan(created.desired(), "1", created.trust(), serial(created.desired()));
    assertThat(again.desired()).isEqualTo(created.desired());
    assertThat(phases(plan(created.desired(), "2", created.trust(), serial(created.desired()))))
        .containsOnly(Phase.Trusting);
  }

  private ClusterCertificates.Plan plan(ClusterCertificates.Contents current, String request, Members members) {
    return ClusterCertificates.plan(settings, current, SECRET, now,
        new ClusterCertificates.Rotation(Optional.of(request), Duration.ofDays(365), members));
  }

  private static List<Phase> phases(ClusterCertificates.Plan plan) {
    return plan.planes().stream().map(p -> p.decision().phase()).toList();
  }

  private static MemberTrust pod(int ordinal, String trust, boolean serves) {
    return new MemberTrust("main-" + ordinal, Optional.of(trust), true, serves);
  }

  private static String digest(ClusterCertificates.Contents contents) {
    return Trust.digest(java.util.stream.Stream.concat(Trust.of(contents.member().get("client-ca.crt")).stream(),
        Trust.of(contents.member().get("peer-ca.crt")).stream()).toList());
  }

  private static BigInteger serial(ClusterCertificates.Contents contents) {
    return Trust.of(contents.member().get("server.crt")).get(0).getSerialNumber();
  }

  private static boolean signedBy(String leaf, String authority) {
    try {
      Trust.of(leaf).get(0).verify(Trust.of(authority).get(0).getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static ClusterCertificates.Contents empty() {
    return new ClusterCertificates.Contents(Map.of(), Map.of(), Map.of());
  }
}
