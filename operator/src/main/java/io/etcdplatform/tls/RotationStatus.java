package io.etcdplatform.tls;

import io.etcdplatform.api.v1alpha1.AuthorityStatus;
import io.etcdplatform.api.v1alpha1.TlsStatus;
import java.security.cert.X509Certificate;
import java.util.List;

/** Pure: status.tls from the planes' rotation outcomes of the pass. */
final class RotationStatus {

  private RotationStatus() {}

  static TlsStatus of(List<ClusterCertificates.PlaneOutcome> planes) {
    return new TlsStatus(planes.stream().map(RotationStatus::plane).toList());
  }

  private static AuthorityStatus plane(ClusterCertificates.PlaneOutcome outcome) {
    AuthorityStatus status = new AuthorityStatus();
    status.setPlane(outcome.plane());
    status.setPhase(outcome.decision().phase().name());
    status.setMessage(outcome.decision().message());
    status.setAuthority(shortFingerprint(outcome.signing()));
    status.setAuthorityNotAfter(outcome.signing().getNotAfter().toInstant().toString());
    outcome.next().map(RotationStatus::shortFingerprint).ifPresent(status::setNextAuthority);
    outcome.retired().map(RotationStatus::shortFingerprint).ifPresent(status::setRetiredAuthority);
    if (outcome.decision().phase() != AuthorityRotation.Phase.Idle) {
      outcome.rotationStarted().map(Object::toString).ifPresent(status::setRotationStartedAt);
    }
    return status;
  }

  static String shortFingerprint(X509Certificate certificate) {
    return Trust.fingerprint(certificate).substring(0, 16);
  }
}
