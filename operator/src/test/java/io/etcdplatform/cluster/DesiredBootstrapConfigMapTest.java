package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.cluster.DesiredBootstrapConfigMap.ClusterState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredBootstrapConfigMapTest {

  @Test
  void aNewClusterListsEveryMemberWithStateNew() {
    var data = DesiredBootstrapConfigMap.forNewCluster(cluster("main", 3)).getData();

    assertThat(data).containsEntry("ETCD_INITIAL_CLUSTER",
        "main-0=http://main-0.main-peer.ns.svc:2380,main-1=http://main-1.main-peer.ns.svc:2380,main-2=http://main-2.main-peer.ns.svc:2380");
    assertThat(data).containsEntry("ETCD_INITIAL_CLUSTER_STATE", "new");
  }

  @Test
  void aJoiningMemberGetsStateExistingAndTheListItIsGiven() {
    var data = DesiredBootstrapConfigMap.build(cluster("main", 4), List.of("main-0", "main-1", "main-2", "main-10"),
        ClusterState.EXISTING).getData();

    assertThat(data.get("ETCD_INITIAL_CLUSTER")).endsWith(",main-10=http://main-10.main-peer.ns.svc:2380");
    assertThat(data).containsEntry("ETCD_INITIAL_CLUSTER_STATE", "existing");
  }

  @Test
  void theTokenDiffersBetweenClustersOfTheSameName() {
    var first = cluster("main", 3);
    var recreated = cluster("main", 3);
    recreated.getMetadata().setUid("99999999-0000-0000-0000-000000000000");

    assertThat(DesiredBootstrapConfigMap.clusterToken(first)).isEqualTo("main-0123abcd");
    assertThat(DesiredBootstrapConfigMap.clusterToken(recreated)).isNotEqualTo(DesiredBootstrapConfigMap.clusterToken(first));
  }
}
