package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterLabels;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

class DesiredServicesTest {

  @Test
  void peerServiceIsHeadlessAndPublishesMembersBeforeTheyAreReady() {
    Service peer = DesiredServices.peer(cluster("main", 3));

    assertThat(peer.getMetadata().getName()).isEqualTo("main-peer");
    assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(peer.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("peer:2380->peer", "client:2379->client");
    assertThat(peer.getSpec().getSelector()).isEqualTo(ClusterLabels.selector(cluster("main", 3)));
  }

  @Test
  void clientServiceReachesReadyMembersOnTheClientPort() {
    Service client = DesiredServices.client(cluster("main", 3));

    assertThat(client.getMetadata().getName()).isEqualTo("main-client");
    assertThat(client.getSpec().getClusterIP()).isNull();
    assertThat(client.getSpec().getPublishNotReadyAddresses()).isNull();
    assertThat(client.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(2379));
    assertThat(client.getSpec().getSelector()).as("members maintenance holds out are not selected")
        .containsAllEntriesOf(ClusterLabels.selector(cluster("main", 3)))
        .containsEntry("etcdplatform.io/client-endpoint", "true");
  }
}
