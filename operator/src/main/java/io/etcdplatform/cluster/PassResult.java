package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.api.v1alpha1.LastBackup;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.members.Step;
import io.etcdplatform.observation.ClusterObservation;
import java.util.Optional;

/**
 * What the stages of one pass produced, from which the status is computed once.
 *
 * @param step the membership step as carried out (a refused action is a Wait)
 * @param applyFailure present when the API server refused an owned object
 * @param consistency present when the members' hashes were compared in this pass
 * @param maintenance present when the cluster was settled enough to maintain
 * @param memberCrash present when a member's etcd keeps failing: which, and what it said last
 * @param lastBackup the cluster's newest Succeeded EtcdBackup, when it has one
 * @param keyspace present when the keyspace was inspected in this pass
 * @param leaders present when the members were observed: the leader change classified this pass
 */
record PassResult(ClusterObservation observation, Step step, Optional<RestoreFailure> restoreFailure,
    Optional<ApplyFailure> applyFailure, Optional<Consistency> consistency,
    Optional<ClusterMaintenance.Outcome> maintenance, Optional<String> memberCrash,
    Optional<LastBackup> lastBackup, Optional<KeyspaceStatus> keyspace, Optional<LeaderHistory.Outcome> leaders) {

  /** A restore init container that failed or refused its snapshot: the cluster never started on it. */
  record RestoreFailure(String source, String refusal) {
    String message() {
      return "restoring " + source + " failed, nothing was restored: " + refusal;
    }
  }

  /** Owned objects the API server refused to apply, with its messages: they stay as they were. */
  record ApplyFailure(String refusals) {
    String message() {
      return "the API server refused an owned object, which stays as it was: " + refusals;
    }
  }
}
