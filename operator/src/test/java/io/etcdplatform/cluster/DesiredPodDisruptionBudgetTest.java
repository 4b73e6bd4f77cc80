package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterLabels;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredPodDisruptionBudgetTest {

  @ParameterizedTest(name = "{0} members -> minAvailable {1}")
  @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "6,4", "7,4", "8,5", "9,5"})
  void keepsAQuorumAvailable(int members, int quorum) {
    var pdb = DesiredPodDisruptionBudget.build(cluster("main", members), members);

    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(quorum);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(ClusterLabels.selector(cluster("main", members)));
  }

  /** Issue 13, defect 1: from spec.replicas alone, 5 -> 3 gave minAvailable 2 while 5 voters remained. */
  @ParameterizedTest(name = "{0} voters, spec {1} -> minAvailable {2}")
  @CsvSource({"5,3,3", "4,3,3", "3,5,3", "4,5,3", "3,1,2", "1,3,2"})
  void whileTheMembershipChangesTheBudgetKeepsAQuorumOfTheVotersThatExistAndOfTheTarget(int voters, int replicas,
      int minAvailable) {
    var pdb = DesiredPodDisruptionBudget.build(cluster("main", replicas), voters);

    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(minAvailable);
  }
}
