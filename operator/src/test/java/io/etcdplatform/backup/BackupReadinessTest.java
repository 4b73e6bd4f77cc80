package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.kube.Conditions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a scheduled run is skipped, read from the cluster's status. */
class BackupReadinessTest {

  @Test
  void aClusterThatNeverFormedCannotBeBackedUp() {
    EtcdCluster cluster = cluster(null);

    assertThat(BackupReadiness.whyNot(cluster)).hasValueSatisfying(reason ->
        assertThat(reason).contains("orders has not formed yet"));
  }

  @Test
  void aClusterWithItsQuorumLostCannotBeBackedUpAndTheReasonSaysWhy() {
    EtcdCluster cluster = cluster("8e9e05c52164694d");
    cluster.getStatus().setConditions(List.of(Conditions.of(Conditions.DEGRADED, true, Conditions.QUORUM_LOST,
        "1 of 3 voting members are healthy, fewer than the quorum of 2", 1)));

    assertThat(BackupReadiness.whyNot(cluster)).hasValueSatisfying(reason -> assertThat(reason)
        .contains("quorum of orders is lost").contains("1 of 3 voting members are healthy")
        .contains("the newest Succeeded backup is kept"));
  }

  @Test
  void aDegradedClusterThatKeepsItsQuorumIsBackedUp() {
    EtcdCluster cluster = cluster("8e9e05c52164694d");
    cluster.getStatus().setConditions(List.of(
        Conditions.of(Conditions.DEGRADED, true, "MembersUnavailable", "2 of 3 voting members healthy", 1),
        Conditions.of(Conditions.AVAILABLE, false, "MembersUnhealthy", "2 of 3 voting members healthy", 1)));

    assertThat(BackupReadiness.whyNot(cluster)).isEmpty();
  }

  @Test
  void aClusterThatRecoveredItsQuorumIsBackedUp() {
    EtcdCluster cluster = cluster("8e9e05c52164694d");
    cluster.getStatus().setConditions(List.of(Conditions.of(Conditions.DEGRADED, false, "AsExpected", "", 1)));

    assertThat(BackupReadiness.whyNot(cluster)).isEmpty();
  }

  private static EtcdCluster cluster(String clusterId) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("orders");
    cluster.setStatus(new EtcdClusterStatus());
    cluster.getStatus().setClusterId(clusterId);
    return cluster;
  }
}
