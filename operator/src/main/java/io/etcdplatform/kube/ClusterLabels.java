package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The standard labels on every object the operator owns. */
public final class ClusterLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY_VALUE = "etcd-platform";
  /**
   * On member pods: "true" while the client Service selects the pod, "false" while maintenance holds
   * it out (see ClientEndpointRule). Not part of the StatefulSet's selector, so changing it on a pod
   * never orphans the pod.
   */
  public static final String CLIENT_ENDPOINT = "etcdplatform.io/client-endpoint";
  public static final String IN_CLIENT_ENDPOINTS = "true";
  public static final String HELD_OUT = "false";
  /** Informers of owned kinds watch only objects carrying this selector. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  private ClusterLabels() {}

  /** Labels that select the member pods of one cluster; never change once created. */
  public static Map<String, String> selector(EtcdCluster cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, "etcd");
    labels.put(INSTANCE, cluster.getMetadata().getName());
    return labels;
  }

  /** Name, namespace and standard labels of an object the cluster owns. */
  public static ObjectMeta metadata(EtcdCluster cluster, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cluster.getMetadata().getNamespace())
        .withLabels(of(cluster, component))
        .build();
  }

  public static Map<String, String> of(EtcdCluster cluster, String component) {
    Map<String, String> labels = selector(cluster);
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(COMPONENT, component);
    return labels;
  }
}
