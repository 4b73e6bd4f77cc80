package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.Map;

/** The two Services of a cluster. */
public final class DesiredServices {

  private DesiredServices() {}

  /**
   * Headless Service that gives each member its stable DNS name. It publishes not-ready
   * addresses: a member must resolve its peers before any of them is ready, or bootstrap hangs.
   */
  public static Service peer(EtcdCluster cluster) {
    return new ServiceBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.peerService(cluster), "peer"))
        .withNewSpec()
          .withType("ClusterIP")
          .withClusterIP("None")
          .withPublishNotReadyAddresses(true)
          .withSelector(ClusterLabels.selector(cluster))
          .withPorts(port("peer", ClusterNames.PEER_PORT), port("client", ClusterNames.CLIENT_PORT))
        .endSpec()
        .build();
  }

  /**
   * The address clients use: ready members only, and not one that maintenance holds out (it
   * selects on the client-endpoint label as well).
   */
  public static Service client(EtcdCluster cluster) {
    Map<String, String> selector = ClusterLabels.selector(cluster);
    selector.put(ClusterLabels.CLIENT_ENDPOINT, ClusterLabels.IN_CLIENT_ENDPOINTS);
    return new ServiceBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.clientService(cluster), "client"))
        .withNewSpec()
          .withType("ClusterIP")
          .withSessionAffinity("None")
          .withSelector(selector)
          .withPorts(port("client", ClusterNames.CLIENT_PORT))
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int number) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(number)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }
}
