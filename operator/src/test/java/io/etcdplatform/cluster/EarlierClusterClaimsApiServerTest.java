package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An EtcdCluster deleted (its claims retained, the default) and created again under its name, on
 * a real kube-apiserver whose StatefulSet controller makes the members' claims (no pod runs).
 */
class EarlierClusterClaimsApiServerTest extends OperatorApiServerTest {

  private static final String RECONCILES = "operator_sdk_reconciliations_success_total";

  @Test
  void aReCreatedClusterIsRefusedOnTheEarlierClustersClaimsUntilItAdoptsThem() throws Exception {
    EtcdCluster recreated = recreatedOnRetainedClaims("omega");

    EtcdCluster refused = waitUntilRefused("omega");
    assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(progressing(refused).getStatus()).isEqualTo("False");
    assertThat(progressing(refused).getMessage())
        .startsWith("PersistentVolumeClaims data-omega-0, data-omega-1, data-omega-2 existed before")
        .contains("etcdplatform.io/adopt-claims=true");
    assertThat(statefulSetOf(recreated)).isNull();
    double passes = operator.counter(RECONCILES);
    await().atMost(TIMEOUT).until(() -> operator.counter(RECONCILES) >= passes + 3);
    assertThat(statefulSetOf(recreated)).isNull();
    assertThat(warnings(recreated)).singleElement()
        .satisfies(event -> assertThat(event.getMessage()).isEqualTo(progressing(refused).getMessage()));

    Edits.edit(clusters().withName("omega"), c -> {
      c.getMetadata().setAnnotations(Map.of(EarlierClusterClaims.ADOPT_ANNOTATION, "true"));
      return c;
    });

    await().atMost(TIMEOUT).until(() -> statefulSetOf(recreated), sts -> sts != null);
  }

  @Test
  void deletingTheEarlierClustersClaimsLetsTheClusterStartAfresh() {
    EtcdCluster recreated = recreatedOnRetainedClaims("sigma");
    waitUntilRefused("sigma");

    claimNames("sigma").forEach(claim -> client.persistentVolumeClaims().inNamespace(namespace)
        .withName(claim).delete());

    await().atMost(TIMEOUT).until(() -> statefulSetOf(recreated), sts -> sts != null);
    await().atMost(TIMEOUT).until(() -> claimNames("sigma").size() == 3);
    EtcdCluster forming = Waits.until(clusters().withName("sigma"), TIMEOUT,
        c -> !EarlierClusterClaims.REASON.equals(progressing(c).getReason()));
    assertThat(progressing(forming).getReason()).isEqualTo("Bootstrap");
  }

  /** Created, its claims made, deleted (claims retained), created again: the re-created one. */
  private static EtcdCluster recreatedOnRetainedClaims(String name) {
    clusters().resource(cluster(name)).create();
    await().atMost(TIMEOUT).until(() -> claimNames(name).size() == 3);
    clusters().withName(name).delete();
    await().atMost(TIMEOUT).until(() -> clusters().withName(name).get() == null && statefulSet(name) == null);
    assertThat(claimNames(name)).hasSize(3);
    return clusters().resource(cluster(name)).create();
  }

  private static EtcdCluster waitUntilRefused(String name) {
    return Waits.until(clusters().withName(name), TIMEOUT,
        c -> EarlierClusterClaims.REASON.equals(progressing(c).getReason()));
  }

  private static List<String> claimNames(String cluster) {
    List<String> members = IntStream.range(0, 3).mapToObj(i -> "data-" + cluster + "-" + i).toList();
    return names(client.persistentVolumeClaims().inNamespace(namespace).list().getItems()).stream()
        .filter(members::contains).toList();
  }

  private static List<Event> warnings(EtcdCluster cluster) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> cluster.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .filter(e -> "Warning".equals(e.getType()) && EarlierClusterClaims.REASON.equals(e.getReason()))
        .toList();
  }

  private static StatefulSet statefulSet(String name) {
    return client.apps().statefulSets().inNamespace(namespace).withName(name).get();
  }

  /**
   * Its StatefulSet, not the earlier cluster's: a pass over the deleted cluster that the operator's
   * cache still held may create one again, which the garbage collector then deletes.
   */
  private static StatefulSet statefulSetOf(EtcdCluster cluster) {
    StatefulSet sts = statefulSet(cluster.getMetadata().getName());
    return sts != null && sts.getMetadata().getOwnerReferences().stream()
        .anyMatch(owner -> owner.getUid().equals(cluster.getMetadata().getUid())) ? sts : null;
  }

  private static Condition progressing(EtcdCluster cluster) {
    return Conditions.find(cluster.getStatus().getConditions(), Conditions.PROGRESSING);
  }

  private static NonNamespaceOperation<EtcdCluster, KubernetesResourceList<EtcdCluster>, Resource<EtcdCluster>>
      clusters() {
    return client.resources(EtcdCluster.class).inNamespace(namespace);
  }

  private static EtcdCluster cluster(String name) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getSpec().setReplicas(3);
    return cluster;
  }
}
