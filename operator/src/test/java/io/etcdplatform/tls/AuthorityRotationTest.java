package io.etcdplatform.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.tls.AuthorityRotation.Action;
import io.etcdplatform.tls.AuthorityRotation.Members;
import io.etcdplatform.tls.AuthorityRotation.MemberTrust;
import io.etcdplatform.tls.AuthorityRotation.Phase;
import io.etcdplatform.tls.AuthorityRotation.PlaneHold;
import io.etcdplatform.tls.AuthorityRotation.Trigger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rotation planner on what Secrets and pods may hold, also after an operator stopped between two writes. */
class AuthorityRotationTest {

  private final Instant now = Instant.parse("2026-12-02T00:00:00Z");
  private final X509Certificate old = authority("old", Duration.ofDays(3650));
  private final X509Certificate fresh = authority("new", Duration.ofDays(3650));
  private final Trigger none = new Trigger(false, Duration.ofDays(365));
  private static final String TRUST = "t2";

  @Test
  void aSettledPlaneStaysIdleUntilAskedOrNearItsExpiry() {
    PlaneHold idle = new PlaneHold(old, Optional.empty(), Optional.empty(), List.of(old), true);
    assertThat(next(idle, all(TRUST), none).action()).isEqualTo(Action.None);
    assertThat(next(idle, all(TRUST), none).phase()).isEqualTo(Phase.Idle);
    assertThat(next(idle, all(TRUST), new Trigger(true, Duration.ofDays(365))).action()).isEqualTo(Action.Begin);

    PlaneHold expiring = new PlaneHold(authority("short", Duration.ofDays(300)), Optional.empty(), Optional.empty(),
        List.of(old), true);
    var decision = next(expiring, all(TRUST), none);
    assertThat(decision.action()).isEqualTo(Action.Begin);
    assertThat(decision.message()).contains("authorityRenewBeforeHours");
  }

  @Test
  void aNewAuthorityKeptButNotYetInTheBundleWaitsForTheBundleAndRestartsNothingYet() {
    // operator killed between writing the authorities' Secret and the members' bundle
    PlaneHold hold = new PlaneHold(old, Optional.of(fresh), Optional.empty(), List.of(old), true);
    var decision = next(hold, all(TRUST), none);
    assertThat(decision.phase()).isEqualTo(Phase.Trusting);
    assertThat(decision.action()).isEqualTo(Action.None);
  }

  @Test
  void reissuingWaitsForEveryMemberToRestartWithTheBundle() {
    PlaneHold trusting = new PlaneHold(old, Optional.of(fresh), Optional.empty(), List.of(old, fresh), true);
    Members oneBehind = new Members(List.of(member("m-0", TRUST), member("m-1", TRUST), member("m-2", "t1")), 3);
    var decision = next(trusting, oneBehind, none);
    assertThat(decision.action()).isEqualTo(Action.None);
    assertThat(decision.message()).contains("m-2 has not restarted");

    Members noAnnotation = new Members(List.of(member("m-0", TRUST), member("m-1", TRUST),
        new MemberTrust("m-2", Optional.empty(), true, false)), 3);
    assertThat(next(trusting, noAnnotation, none).action()).isEqualTo(Action.None);

    assertThat(next(trusting, all(TRUST), none).action()).isEqualTo(Action.Promote);
  }

  @Test
  void aMemberDownOrMissingHoldsEveryTransitionBack() {
    PlaneHold trusting = new PlaneHold(old, Optional.of(fresh), Optional.empty(), List.of(old, fresh), true);
    Members down = new Members(List.of(member("m-0", TRUST), member("m-1", TRUST),
        new MemberTrust("m-2", Optional.of(TRUST), false, true)), 3);
    assertThat(next(trusting, down, none).action()).isEqualTo(Action.None);
    assertThat(next(trusting, down, none).message()).contains("m-2 is not ready");
    Members missing = new Members(List.of(member("m-0", TRUST), member("m-1", TRUST)), 3);
    assertThat(next(trusting, missing, none).action()).isEqualTo(Action.None);
    assertThat(next(trusting, new Members(List.of(), 3), none).action()).isEqualTo(Action.None);

    PlaneHold reissuing = new PlaneHold(fresh, Optional.empty(), Optional.of(old), List.of(fresh, old), true);
    assertThat(next(reissuing, down, none).action()).isEqualTo(Action.None);
    PlaneHold dropping = new PlaneHold(fresh, Optional.empty(), Optional.of(old), List.of(fresh), true);
    assertThat(next(dropping, down, none).action()).isEqualTo(Action.None);
    assertThat(next(dropping, missing, none).action()).isEqualTo(Action.None);
  }

  @Test
  void theOldAuthorityIsDroppedOnlyOnceEveryMemberServesTheNewLeaves() {
    PlaneHold notReissued = new PlaneHold(fresh, Optional.empty(), Optional.of(old), List.of(fresh, old), false);
    assertThat(next(notReissued, serving(true, true, true), none).action()).isEqualTo(Action.None);

    PlaneHold reissued = new PlaneHold(fresh, Optional.empty(), Optional.of(old), List.of(fresh, old), true);
    assertThat(reissued.phase()).isEqualTo(Phase.Reissuing);
    var waiting = next(reissued, serving(true, false, true), none);
    assertThat(waiting.action()).isEqualTo(Action.None);
    assertThat(waiting.message()).contains("m-1 does not serve");
    assertThat(next(reissued, serving(true, true, true), none).action()).isEqualTo(Action.Drop);
  }

  @Test
  void droppingFinishesOnceEveryMemberRestartedWithTheNewBundleAlone() {
    PlaneHold dropping = new PlaneHold(fresh, Optional.empty(), Optional.of(old), List.of(fresh), true);
    assertThat(dropping.phase()).isEqualTo(Phase.Dropping);
    assertThat(next(dropping, all("t1"), none).action()).isEqualTo(Action.None);
    var done = next(dropping, all(TRUST), none);
    assertThat(done.action()).isEqualTo(Action.Finish);
    assertThat(done.phase()).isEqualTo(Phase.Idle);
  }

  @Test
  void aRequestDuringARotationStartsNoSecondOne() {
    PlaneHold trusting = new PlaneHold(old, Optional.of(fresh), Optional.empty(), List.of(old, fresh), true);
    assertThat(next(trusting, all("t1"), new Trigger(true, Duration.ofDays(365))).action()).isEqualTo(Action.None);
  }

  private AuthorityRotation.Decision next(PlaneHold hold, Members members, Trigger trigger) {
    return AuthorityRotation.next("client", hold, members, TRUST, trigger, now);
  }

  private static Members all(String trust) {
    return new Members(List.of(member("m-0", trust), member("m-1", trust), member("m-2", trust)), 3);
  }

  private static Members serving(boolean... serves) {
    return new Members(List.of(new MemberTrust("m-0", Optional.of(TRUST), true, serves[0]),
        new MemberTrust("m-1", Optional.of(TRUST), true, serves[1]),
        new MemberTrust("m-2", Optional.of(TRUST), true, serves[2])), 3);
  }

  private static MemberTrust member(String name, String trust) {
    return new MemberTrust(name, Optional.of(trust), true, false);
  }

  private X509Certificate authority(String name, Duration validity) {
    return CertificateAuthority.create(name, now.minusSeconds(60), now.plus(validity)).certificate().certificate();
  }
}
