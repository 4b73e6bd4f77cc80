package io.etcdplatform.kube;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The longest cluster name the schema admits is the longest whose every derived name fits a label. */
class ClusterNamesTest {

  private static final int LABEL = 63;
  private static final int MAX_MEMBERS = 9;
  /** The StatefulSet controller's revision hash, as it labels each pod (controller-revision-hash). */
  private static final String REVISION_HASH = "7f9c8d6b5a";

  /** Every name and label value derived from the cluster's name that must be a 63-character label. */
  private static List<String> labels(EtcdCluster cluster, String namespace) {
    List<String> labels = new ArrayList<>(List.of(ClusterNames.statefulSet(cluster),
        ClusterNames.podDisruptionBudget(cluster), ClusterNames.peerService(cluster),
        ClusterNames.clientService(cluster), ClusterNames.bootstrapConfigMap(cluster),
        ClusterNames.statefulSet(cluster) + "-" + REVISION_HASH));
    for (int ordinal = 0; ordinal < MAX_MEMBERS; ordinal++) {
      String member = ClusterNames.member(cluster, ordinal);
      labels.add(member);
      labels.addAll(Arrays.asList(ClusterNames.memberHost(cluster.getMetadata().getName(), namespace, member)
          .split("\\.")));
    }
    return labels;
  }

  @Test
  void everyNameDerivedFromTheLongestAdmittedNameFitsALabel() {
    EtcdCluster longest = cluster("c".repeat(EtcdCluster.MAX_NAME_LENGTH), 3);

    assertThat(labels(longest, "n".repeat(LABEL)))
        .allSatisfy(label -> assertThat(label).hasSizeLessThanOrEqualTo(LABEL));
  }

  @Test
  void oneCharacterMoreAndTheRevisionLabelNoLongerFits() {
    EtcdCluster tooLong = cluster("c".repeat(EtcdCluster.MAX_NAME_LENGTH + 1), 3);

    assertThat(labels(tooLong, "ns")).anySatisfy(label -> assertThat(label).hasSizeGreaterThan(LABEL));
  }

  @Test
  void theNamePatternIsADns1035Label() {
    assertThat("a".matches(EtcdCluster.NAME_PATTERN)).isTrue();
    assertThat("orders-eu-1".matches(EtcdCluster.NAME_PATTERN)).isTrue();
    assertThat(List.of("1st", "orders.eu", "orders-", "-orders", "Orders", "orders_eu"))
        .noneMatch(name -> name.matches(EtcdCluster.NAME_PATTERN));
  }
}
