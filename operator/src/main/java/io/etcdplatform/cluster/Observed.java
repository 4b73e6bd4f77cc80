package io.etcdplatform.cluster;

import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.observation.ClusterObservation;

/** What the Observe stage found, and how it reached the members: what the later stages act through. */
record Observed(ClusterAccess access, EtcdConnection etcd, ClusterObservation observation) {}
