package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.auth.ClusterAuth;
import io.etcdplatform.kube.Conditions;
import java.util.List;
import java.util.Optional;

/**
 * Auth: on a settled cluster with spec.auth, etcd's users and roles kept as declared
 * ({@link ClusterAuth}); the status gets what it did. A credential etcd refuses stops the pass
 * before anything is planned, with a condition and an Event naming the Secret.
 */
final class AuthStage {

  static final String CREDENTIAL_REFUSED = "CredentialRefused";

  private AuthStage() {}

  static Optional<ClusterAuth.Outcome> keep(ClusterPass pass, Observed observed, boolean steady) {
    if (!pass.cluster().getSpec().authEnabled() || !steady || !observed.observation().reachable()) {
      return Optional.empty();
    }
    return Optional.of(ClusterAuth.keep(pass.cluster(), pass.client(), observed.etcd(), pass.events(), pass.now()));
  }

  static EtcdClusterStatus with(EtcdClusterStatus status, ClusterAuth.Outcome outcome, java.time.Instant now) {
    EtcdClusterStatus next = ClusterStatusCalculator.copyOf(status);
    next.setAuth(outcome.status());
    next.setConditions(Conditions.merge(status.getConditions(), List.of(outcome.condition()), now));
    return next;
  }

  /** The message of a refused credential: which Secret, and what to do. */
  static String refusal(ClusterPass pass, String refusal) {
    return refusal + " for every member: the operator signs in as root with the password in Secret "
        + io.etcdplatform.kube.ClusterNames.authRootSecret(pass.cluster())
        + " (key password); put root's current password back into it (or set root's password in etcd to the "
        + "Secret's with etcdctl user passwd); nothing was changed meanwhile";
  }
}
