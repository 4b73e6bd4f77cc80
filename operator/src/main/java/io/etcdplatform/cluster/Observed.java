package io.etcdplatform.cluster;

import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.observation.ClusterObservation;
import java.util.Optional;

/**
 * What the Observe stage found, and how it reached the members: what the later stages act through.
 *
 * @param credentialRefused present when no member answered because etcd refused the operator's credential
 */
record Observed(ClusterAccess access, EtcdConnection etcd, ClusterObservation observation,
    Optional<String> credentialRefused) {}
