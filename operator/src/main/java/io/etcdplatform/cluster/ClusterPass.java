package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.LastBackup;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterLabels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One pass over one EtcdCluster, as every stage reads it: the cluster, its cached objects, Events, the time. */
record ClusterPass(EtcdCluster cluster, Context<EtcdCluster> context, ClusterEvents events, Instant now) {

  KubernetesClient client() {
    return context.getClient();
  }

  Optional<StatefulSet> statefulSet() {
    return context.getSecondaryResource(StatefulSet.class);
  }

  Set<Pod> pods() {
    return context.getSecondaryResources(Pod.class);
  }

  /** The member claims, read from the API server (no informer watches claims). */
  List<PersistentVolumeClaim> claims() {
    return client().persistentVolumeClaims().inNamespace(namespace()).withLabels(ClusterLabels.selector(cluster))
        .list().getItems();
  }

  SnapshotsUnderWay snapshots() {
    return SnapshotsUnderWay.of(name(), context.getSecondaryResources(EtcdBackup.class));
  }

  Optional<LastBackup> lastBackup() {
    return LatestBackup.newestSucceeded(name(), context.getSecondaryResources(EtcdBackup.class));
  }

  int desiredMembers() {
    return cluster.getSpec().getReplicas();
  }

  String namespace() {
    return cluster.getMetadata().getNamespace();
  }

  String name() {
    return cluster.getMetadata().getName();
  }
}
