package io.etcdplatform.testing;

import java.util.Objects;
import io.etcdplatform.api.v1alpha1.EtcdCluster;

/** EtcdCluster objects for tests that run without a cluster. */
public final class Clusters {

  private Clusters() {}

  /** A cluster as the API server would hand it over: namespaced, with a uid and a generation. */
  public static EtcdCluster cluster(String name, int replicas) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("0123abcd-4567-89ef-0123-456789abcdef");
    cluster.getMetadata().setGeneration(1L);
    cluster.getSpec().setReplicas(replicas);
    return cluster;
  }

  /**
   * The operator has finished a pass over the cluster's current spec: its status records this
   * generation. A pass that acts applies the owned objects before it writes that status.
   */
  public static boolean reconciled(EtcdCluster cluster) {
    return cluster.getStatus() != null
        && Objects.equals(cluster.getStatus().getObservedGeneration(), cluster.getMetadata().getGeneration());
  }
}
