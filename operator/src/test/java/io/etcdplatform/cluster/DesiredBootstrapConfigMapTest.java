package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.members.MembershipLayout;
import org.junit.jupiter.api.Test;

class DesiredBootstrapConfigMapTest {

  @Test
  void carriesTheLayoutsBootstrapDataAsEtcdEnvironmentVariables() {
    var data = DesiredBootstrapConfigMap.build(cluster("main", 3),
        new MembershipLayout(3, "main-0=http://main-0.main-peer.ns.svc:2380", false)).getData();

    assertThat(data).containsEntry("ETCD_INITIAL_CLUSTER", "main-0=http://main-0.main-peer.ns.svc:2380")
        .containsEntry("ETCD_INITIAL_CLUSTER_STATE", "existing")
        .containsEntry("ETCD_INITIAL_CLUSTER_TOKEN", "main-0123abcd");
    assertThat(DesiredBootstrapConfigMap.build(cluster("main", 3), new MembershipLayout(3, "x", true)).getData())
        .containsEntry("ETCD_INITIAL_CLUSTER_STATE", "new");
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
