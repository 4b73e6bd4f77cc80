package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.cluster.StorageExpansion.StorageExpansionException;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.kube.ClusterHistory;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.tls.TlsMaterialException;
import io.etcdplatform.tls.TlsPendingException;
import io.etcdplatform.tls.TlsSecrets;
import io.etcdplatform.tls.TlsSources;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate: what ends a pass before anything is observed, each with a status a person reads: a paused
 * cluster, a spec the operator refuses, claims of an earlier cluster of the same name, a backup to
 * wait for, claims being expanded, TLS material the operator cannot use or that cert-manager has not
 * issued yet. A TLS cluster's Secrets are kept here, before anything that mounts them.
 */
final class Gates {

  private static final Logger log = LoggerFactory.getLogger(Gates.class);
  static final String TLS_INVALID = "TlsInvalid";
  static final String WAITING_FOR_CERTIFICATES = "WaitingForCertificates";

  /** The pass goes on (restoring from {@code restore} while the cluster forms), or stops with this status. */
  sealed interface Gate {}

  /** @param secrets on a TLS cluster, what its Secrets gave: the operator's identity, the trust digest, status.tls */
  record Open(Optional<RestoreSource> restore, Optional<TlsSecrets.Outcome> secrets) implements Gate {

    /** The operator's client identity on a TLS cluster. */
    Optional<ClientTls> tls() {
      return secrets.map(TlsSecrets.Outcome::operator);
    }
  }

  record Closed(EtcdClusterStatus status) implements Gate {}

  Gate check(ClusterPass pass) {
    EtcdCluster cluster = pass.cluster();
    if (Boolean.TRUE.equals(cluster.getSpec().getPaused())) {
      return closed(pass, Phase.Paused, "Paused",
          "spec.paused is true: the operator takes no action; set it to false to resume");
    }
    List<String> problems = SpecValidator.validate(cluster);
    if (!problems.isEmpty()) {
      log.warn("{}/{}: spec refused, no action taken: {}", pass.namespace(), pass.name(), problems);
      return closed(pass, Phase.Invalid, "InvalidSpec", String.join("; ", problems));
    }
    if (EarlierClusterClaims.apply(cluster)) {
      List<String> earlier = EarlierClusterClaims.of(cluster, claims(pass), ownsStatefulSet(pass));
      if (!earlier.isEmpty()) {
        return refuseEarlierClaims(pass, earlier);
      }
    }
    RestoreSource.Resolution restore = RestoreSource.of(cluster, pass.client(), pass.statefulSet());
    if (restore instanceof RestoreSource.Waiting waiting) {
      return closed(pass, Phase.Pending, "WaitingForBackup", waiting.reason());
    }
    if (StorageExpansion.isPending(cluster, pass.statefulSet())) {
      return expandStorage(pass);
    }
    Optional<RestoreSource> source = restore instanceof RestoreSource.Ready ready ? Optional.of(ready.source()) : Optional.empty();
    if (restore instanceof RestoreSource.Ready ready && ready.chosen().isPresent()) {
      log.info("{}/{}: {}", pass.namespace(), pass.name(), ready.chosen().get());
      pass.events().normalOnce(cluster, RestoreSource.CHOSEN, ready.chosen().get());
    }
    if (!cluster.getSpec().tlsEnabled()) {
      return new Open(source, Optional.empty());
    }
    try {
      return new Open(source, Optional.of(TlsSources.ensure(cluster, pass.client(), pass.now(), pass.pods(),
          Optional.of(pass.events()))));
    } catch (TlsPendingException e) {
      // progressing, so the next pass comes at the progress interval: issuance takes seconds
      return new Closed(ClusterStatusCalculator.busyWith(cluster, WAITING_FOR_CERTIFICATES, e.getMessage(), pass.now()));
    } catch (TlsMaterialException e) {
      log.warn("{}/{}: TLS material refused, no action taken: {}", pass.namespace(), pass.name(), e.getMessage());
      pass.events().warningOnce(cluster, TLS_INVALID, e.getMessage());
      return closed(pass, currentPhase(cluster), TLS_INVALID, e.getMessage());
    }
  }

  /** Nothing is created on another cluster's data until a person deletes the claims or adopts them. */
  private static Gate refuseEarlierClaims(ClusterPass pass, List<String> claims) {
    String message = EarlierClusterClaims.message(pass.cluster(), claims);
    String reason = EarlierClusterClaims.REASON;
    if (!Conditions.isFalse(ClusterHistory.conditions(pass.cluster()), Conditions.PROGRESSING, reason)) {
      log.warn("{}/{}: claims of an earlier cluster, nothing created: {}", pass.namespace(), pass.name(), claims);
      pass.events().warningOnce(pass.cluster(), reason, message);
    }
    return closed(pass, Phase.Pending, reason, message);
  }

  /** No informer watches claims: listed only while a cluster has never formed, so a settled fleet pays nothing. */
  private static List<PersistentVolumeClaim> claims(ClusterPass pass) {
    return pass.client().persistentVolumeClaims().inNamespace(pass.namespace()).list().getItems();
  }

  /** The cached StatefulSet may still be an earlier cluster's, waiting for the garbage collector. */
  private static boolean ownsStatefulSet(ClusterPass pass) {
    return pass.statefulSet().map(sts -> sts.hasOwnerReferenceFor(pass.cluster().getMetadata().getUid())).orElse(false);
  }

  /** A pass spent growing the claims: the StatefulSet is re-created on the next one. */
  private static Gate expandStorage(ClusterPass pass) {
    EtcdCluster cluster = pass.cluster();
    try {
      StorageExpansion.expand(cluster, pass.client());
    } catch (StorageExpansionException e) {
      return closed(pass, currentPhase(cluster), "StorageExpansionFailed", e.getMessage());
    }
    return new Closed(ClusterStatusCalculator.busyWith(cluster, "ExpandingStorage", "claims expanded to "
        + cluster.getSpec().getStorage().getSize() + "; the StatefulSet is being re-created", pass.now()));
  }

  private static Gate closed(ClusterPass pass, Phase phase, String reason, String message) {
    return new Closed(ClusterStatusCalculator.notActedOn(pass.cluster(), phase, reason, message, pass.now()));
  }

  private static Phase currentPhase(EtcdCluster cluster) {
    return cluster.getStatus() == null || cluster.getStatus().getPhase() == null
        ? Phase.Pending : cluster.getStatus().getPhase();
  }
}
