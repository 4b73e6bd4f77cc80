package io.etcdplatform.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pure: the next step of one plane's certificate-authority rotation, from what the Secrets hold and
 * the members' observed state. etcd never re-reads its trusted CA file (etcd-io/etcd#11555), so a new
 * authority is trusted by every running member before anything it signs is served, and the old one is
 * dropped only once nothing it signed is served any more:
 *
 * <ol>
 *   <li>{@link Phase#Trusting}: a new authority is kept beside the signing one ({@code next}); the
 *       members' trust bundle holds both, and the members restart one at a time onto it;
 *   <li>{@link Phase#Reissuing}: once every member runs with that bundle, the new authority signs
 *       and the old one is kept only as trusted ({@code retired}); every leaf is issued again by the
 *       new one (etcd re-reads leaves per handshake, no restart);
 *   <li>{@link Phase#Dropping}: once every member serves its new leaf, the bundle holds the new
 *       authority alone and the members restart one at a time again; then {@code retired} goes.
 * </ol>
 *
 * The phase is read from the Secrets alone (never from memory), so a restarted operator resumes
 * wherever the last one stopped: each transition is one Secret write.
 */
public final class AuthorityRotation {

  public enum Phase { Idle, Trusting, Reissuing, Dropping }

  /** What to write now; {@link #None} waits for the members. */
  public enum Action { None, Begin, Promote, Drop, Finish }

  /**
   * One plane's authorities as the Secrets hold them.
   *
   * @param signing the authority that signs the plane's leaves
   * @param next a new authority being trusted, not yet signing (Trusting)
   * @param retired the previous authority, still trusted while what it signed may be served
   * @param trusted the plane's trust bundle as the members' Secret holds it now
   * @param leavesSignedBySigning every leaf of the plane in the Secrets is signed by {@code signing}
   */
  public record PlaneHold(X509Certificate signing, Optional<X509Certificate> next, Optional<X509Certificate> retired,
      List<X509Certificate> trusted, boolean leavesSignedBySigning) {

    public PlaneHold {
      trusted = List.copyOf(trusted);
    }

    public Phase phase() {
      if (next.isPresent()) {
        return Phase.Trusting;
      }
      if (retired.isPresent()) {
        return Trust.contains(trusted, retired.get()) ? Phase.Reissuing : Phase.Dropping;
      }
      return Phase.Idle;
    }
  }

  /**
   * A member pod as the rotation needs it.
   *
   * @param trust the trust bundle's digest it was started with (its pod's annotation), empty when it has none
   * @param ready its pod is Ready and not Terminating
   * @param servesCurrentLeaf the certificate it serves on its client port is the one the members' Secret holds
   *     now (the kubelet updates a Secret volume as a whole, so its peer certificate is current too)
   */
  public record MemberTrust(String name, Optional<String> trust, boolean ready, boolean servesCurrentLeaf) {}

  /**
   * The members as observed.
   *
   * @param expected the members there should be (spec.replicas): fewer pods observed means one is missing
   */
  public record Members(List<MemberTrust> pods, int expected) {

    public Members {
      pods = List.copyOf(pods);
    }

    /** Every member runs, Ready, with the trust bundle whose digest is {@code trust}. */
    Optional<String> notAllTrusting(String trust) {
      if (pods.size() < expected) {
        return Optional.of(pods.size() + " of " + expected + " member pods exist");
      }
      return pods.stream().filter(p -> !p.ready() || !p.trust().equals(Optional.of(trust))).findFirst()
          .map(p -> p.ready() ? p.name() + " has not restarted with the current trust bundle yet"
              : p.name() + " is not ready");
    }

    Optional<String> notAllServing() {
      if (pods.size() < expected) {
        return Optional.of(pods.size() + " of " + expected + " member pods exist");
      }
      return pods.stream().filter(p -> !p.ready() || !p.servesCurrentLeaf()).findFirst()
          .map(p -> p.ready() ? p.name() + " does not serve its new certificate yet (the kubelet updates the "
              + "mounted Secret within about a minute)" : p.name() + " is not ready");
    }
  }

  /** Why a rotation starts: a person asked (the annotation's new value), or the authority nears its expiry. */
  public record Trigger(boolean requested, Duration renewBefore) {}

  public record Decision(Phase phase, Action action, String message) {}

  private AuthorityRotation() {}

  /**
   * @param trust the digest of the trust bundles the members' Secret holds now (both planes): a member
   *     started with it trusts what that Secret trusts
   */
  public static Decision next(String plane, PlaneHold hold, Members members, String trust, Trigger trigger,
      Instant now) {
    Phase phase = hold.phase();
    return switch (phase) {
      case Idle -> begin(plane, hold, trigger, now);
      case Trusting -> {
        if (!Trust.contains(hold.trusted(), hold.next().orElseThrow())) {
          // the authority was kept, the bundle not yet written (an operator stopped in between)
          yield new Decision(phase, Action.None, plane + " plane: the new authority joins the members' trust bundle");
        }
        yield members.notAllTrusting(trust)
            .map(why -> new Decision(phase, Action.None, plane + " plane: members restart one at a time to trust the "
                + "new authority beside the old one; waiting: " + why))
            .orElseGet(() -> new Decision(Phase.Reissuing, Action.Promote, plane + " plane: every member trusts the new "
                + "authority; it signs from now on and every certificate is issued again"));
      }
      case Reissuing -> {
        if (!hold.leavesSignedBySigning()) {
          yield new Decision(phase, Action.None, plane + " plane: certificates are issued again by the new authority");
        }
        yield members.notAllServing()
            .map(why -> new Decision(phase, Action.None, plane + " plane: waiting for every member to serve the new "
                + "authority's certificate: " + why))
            .orElseGet(() -> new Decision(Phase.Dropping, Action.Drop, plane + " plane: every member serves the new "
                + "authority's certificate; the old authority leaves the trust bundle and members restart one at a time"));
      }
      case Dropping -> members.notAllTrusting(trust)
          .map(why -> new Decision(phase, Action.None, plane + " plane: members restart one at a time to trust only "
              + "the new authority; waiting: " + why))
          .orElseGet(() -> new Decision(Phase.Idle, Action.Finish, plane + " plane: authority rotation done; only "
              + "the new authority is trusted"));
    };
  }

  private static Decision begin(String plane, PlaneHold hold, Trigger trigger, Instant now) {
    Instant renewAt = hold.signing().getNotAfter().toInstant().minus(trigger.renewBefore());
    if (trigger.requested()) {
      return new Decision(Phase.Trusting, Action.Begin, plane + " plane: authority rotation asked for by annotation");
    }
    if (!renewAt.isAfter(now)) {
      return new Decision(Phase.Trusting, Action.Begin, plane + " plane: the authority expires at "
          + hold.signing().getNotAfter().toInstant() + ", within spec.tls.authorityRenewBeforeHours: it is rotated");
    }
    return new Decision(Phase.Idle, Action.None, plane + " plane: authority valid until "
        + hold.signing().getNotAfter().toInstant());
  }
}
