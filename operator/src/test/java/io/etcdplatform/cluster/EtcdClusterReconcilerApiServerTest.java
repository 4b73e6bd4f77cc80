package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.api.v1alpha1.ContainerResources;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.PodTemplate;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testing.Clusters;
import io.etcdplatform.testing.OperatorApiServerTest;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a real kube-apiserver with kube-controller-manager (garbage collector,
 * StatefulSet controller). No kubelet runs here: member pods are created but never started, and
 * tests that need ready members mark the pods ready through the pods/status subresource.
 */
class EtcdClusterReconcilerApiServerTest extends OperatorApiServerTest {

  @Test
  void createsEveryOwnedObjectFromTheSpec() {
    EtcdCluster cluster = clusters().resource(cluster("alpha", 3)).create();

    StatefulSet sts = eventually(() -> client.apps().statefulSets().inNamespace(namespace).withName("alpha").get());
    assertOwnedBy(cluster, sts);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(sts.getSpec().getServiceName()).isEqualTo("alpha-peer");
    assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("8Gi"));
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("quay.io/coreos/etcd:v3.6.16");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getArgs()).contains("--name=$(POD_NAME)",
        "--initial-advertise-peer-urls=http://$(POD_NAME).alpha-peer." + namespace + ".svc:2380");
    assertThat(sts.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "etcd")
        .containsEntry("app.kubernetes.io/instance", "alpha")
        .containsEntry("app.kubernetes.io/managed-by", "etcd-platform")
        .containsEntry("app.kubernetes.io/component", "etcd");

    Service peer = eventually(() -> client.services().inNamespace(namespace).withName("alpha-peer").get());
    assertOwnedBy(cluster, peer);
    assertThat(peer.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(peer.getSpec().getPublishNotReadyAddresses()).isTrue();
    Service clientService = eventually(() -> client.services().inNamespace(namespace).withName("alpha-client").get());
    assertOwnedBy(cluster, clientService);
    assertThat(clientService.getSpec().getClusterIP()).isNotEqualTo("None");
    assertThat(clientService.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(2379));

    PodDisruptionBudget pdb = eventually(() -> client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName("alpha").get());
    assertOwnedBy(cluster, pdb);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(2);

    ConfigMap bootstrap = eventually(() -> client.configMaps().inNamespace(namespace).withName("alpha-bootstrap").get());
    assertOwnedBy(cluster, bootstrap);
    assertThat(bootstrap.getData()).containsEntry("ETCD_INITIAL_CLUSTER_STATE", "new")
        .containsEntry("ETCD_INITIAL_CLUSTER", Stream.of(0, 1, 2)
            .map(i -> "alpha-" + i + "=http://alpha-" + i + ".alpha-peer." + namespace + ".svc:2380")
            .reduce((a, b) -> a + "," + b).orElseThrow());

    EtcdCluster withStatus = Waits.until(clusters().withName("alpha"), TIMEOUT, Clusters::reconciled);
    assertThat(withStatus.getStatus().getReady()).isEqualTo("0/3");
    assertThat(withStatus.getStatus().getPhase()).isEqualTo(Phase.Pending);
    assertThat(Conditions.find(withStatus.getStatus().getConditions(), Conditions.AVAILABLE).getStatus()).isEqualTo("False");
  }

  @Test
  void aSecondReconcileOfAnUnchangedClusterChangesNothing() throws Exception {
    EtcdCluster cluster = cluster("steady", 3);
    var resources = new ContainerResources();
    resources.setRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")));
    resources.setLimits(Map.of("memory", new Quantity("2048Mi")));
    cluster.getSpec().setResources(resources);
    PodTemplate template = new PodTemplate();
    template.setLabels(Map.of("team", "storage"));
    template.setPriorityClassName("system-cluster-critical");
    cluster.getSpec().setPodTemplate(template);
    clusters().resource(cluster).create();
    eventually(() -> owned("steady").size() == 5 ? true : null);
    // what the versions are compared with: the operator's first pass done, and the StatefulSet
    // controller's status of the StatefulSet (its pods created) written, which changes its version
    Waits.until(clusters().withName("steady"), TIMEOUT, Clusters::reconciled);
    Waits.until(client.apps().statefulSets().inNamespace(namespace).withName("steady"), TIMEOUT,
        sts -> sts.getMetadata().getGeneration().equals(sts.getStatus().getObservedGeneration())
            && sts.getStatus().getReplicas() == 3);

    Map<String, String> versionsBefore = resourceVersions("steady");
    double writesBefore = operator.counter("etcdplatform_owned_object_writes_total");
    double reconcilesBefore = operator.counter("operator_sdk_reconciliations_success_total");
    // the cluster is progressing (no kubelet), so it is reconciled every second
    await().atMost(TIMEOUT).until(() -> operator.counter("operator_sdk_reconciliations_success_total") >= reconcilesBefore + 4);

    assertThat(operator.counter("etcdplatform_owned_object_writes_total")).isEqualTo(writesBefore);
    assertThat(resourceVersions("steady")).isEqualTo(versionsBefore);
  }

  @Test
  void aSpecChangeUpdatesTheOwnedObjects() {
    clusters().resource(cluster("beta", 3)).create();
    eventually(() -> client.apps().statefulSets().inNamespace(namespace).withName("beta").get());

    editSpec("beta", c -> {
      c.getSpec().setReplicas(5);
      c.getSpec().setPodTemplate(new PodTemplate());
      c.getSpec().getPodTemplate().setLabels(Map.of("tier", "control-plane"));
      c.getSpec().getEtcd().setExtraFlags(Map.of("log-level", "warn"));
      return c;
    });
    // the pass over the new spec applied every owned object (the ConfigMap too) before its status
    Waits.until(clusters().withName("beta"), TIMEOUT, Clusters::reconciled);

    StatefulSet sts = eventually(() -> {
      StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName("beta").get();
      return current.getSpec().getReplicas() == 5 ? current : null;
    });
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "control-plane");
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--log-level=warn");
    assertThat(eventually(() -> pdbMinAvailable("beta") == 3 ? true : null)).isTrue();
    assertThat(client.configMaps().inNamespace(namespace).withName("beta-bootstrap").get().getData()
        .get("ETCD_INITIAL_CLUSTER")).contains("beta-4=http://beta-4.beta-peer." + namespace + ".svc:2380");
  }

  @Test
  void growingStorageExpandsTheClaimsAndKeepsTheMembersRunning() {
    storageClass("expandable", true);
    IntStream.range(0, 3).forEach(i -> volumeFor("data-kappa-" + i, "expandable"));
    EtcdCluster cluster = cluster("kappa", 3);
    cluster.getSpec().getStorage().setStorageClassName("expandable");
    clusters().resource(cluster).create();
    IntStream.range(0, 3).forEach(i -> eventually(() -> "Bound".equals(claimPhase("data-kappa-" + i)) ? true : null));
    String statefulSetUid = client.apps().statefulSets().inNamespace(namespace).withName("kappa").get().getMetadata().getUid();
    List<String> podUids = await().atMost(TIMEOUT).until(() -> podUids("kappa"), uids -> uids.size() == 3);

    editSpec("kappa", c -> {
      c.getSpec().getStorage().setSize("16Gi");
      return c;
    });

    StatefulSet recreated = eventually(() -> {
      StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName("kappa").get();
      return current != null && !current.getMetadata().getUid().equals(statefulSetUid) ? current : null;
    });
    assertThat(recreated.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("16Gi"));
    IntStream.range(0, 3).forEach(i -> assertThat(client.persistentVolumeClaims().inNamespace(namespace)
        .withName("data-kappa-" + i).get().getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("16Gi")));
    assertThat(podUids("kappa")).isEqualTo(podUids);
  }

  @Test
  void aRefusedExpansionIsReportedAndNothingIsDeleted() {
    storageClass("fixed", false);
    IntStream.range(0, 1).forEach(i -> volumeFor("data-lambda-" + i, "fixed"));
    EtcdCluster cluster = cluster("lambda", 1);
    cluster.getSpec().getStorage().setStorageClassName("fixed");
    clusters().resource(cluster).create();
    eventually(() -> "Bound".equals(claimPhase("data-lambda-0")) ? true : null);
    String statefulSetUid = client.apps().statefulSets().inNamespace(namespace).withName("lambda").get().getMetadata().getUid();

    editSpec("lambda", c -> {
      c.getSpec().getStorage().setSize("9Gi");
      return c;
    });

    var progressing = progressing(Waits.until(clusters().withName("lambda"), TIMEOUT,
        c -> "StorageExpansionFailed".equals(progressing(c).getReason())));
    assertThat(progressing.getMessage()).contains("cannot expand PersistentVolumeClaim data-lambda-0 to spec.storage.size")
        .contains("allowVolumeExpansion");
    assertThat(client.apps().statefulSets().inNamespace(namespace).withName("lambda").get().getMetadata().getUid())
        .isEqualTo(statefulSetUid);
  }

  @Test
  void anObjectTheApiServerRefusesIsApplyFailedWithAWarningEventUntilTheSpecIsFixed() {
    EtcdCluster cluster = cluster("theta", 1);
    cluster.getSpec().setPodTemplate(new PodTemplate());
    cluster.getSpec().getPodTemplate().setNodeSelector(Map.of("not a label!", "x"));
    clusters().resource(cluster).create();

    Condition refused = progressing(Waits.until(clusters().withName("theta"), TIMEOUT,
        c -> ClusterStatusCalculator.APPLY_FAILED.equals(progressing(c).getReason())));
    assertThat(refused.getStatus()).isEqualTo("False");
    assertThat(refused.getMessage()).contains("StatefulSet.apps \"theta\" is invalid").contains("nodeSelector");
    Event event = eventually(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "theta".equals(e.getInvolvedObject().getName()) && "ApplyFailed".equals(e.getReason()))
        .findFirst().orElse(null));
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).isEqualTo(refused.getMessage());

    editSpec("theta", c -> {
      c.getSpec().getPodTemplate().setNodeSelector(Map.of("disktype", "ssd"));
      return c;
    });

    eventually(() -> client.apps().statefulSets().inNamespace(namespace).withName("theta").get());
    Waits.until(clusters().withName("theta"), TIMEOUT,
        c -> Clusters.reconciled(c) && !ClusterStatusCalculator.APPLY_FAILED.equals(progressing(c).getReason()));
  }

  @Test
  void disablingThePodDisruptionBudgetDeletesIt() {
    clusters().resource(cluster("gamma", 3)).create();
    eventually(() -> client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName("gamma").get());

    editSpec("gamma", c -> {
      c.getSpec().getPodDisruptionBudget().setEnabled(false);
      return c;
    });

    await().atMost(TIMEOUT).until(() ->
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName("gamma").get() == null);
  }

  @Test
  void aVersionDowngradeIsRefusedWithAConditionAndNothingChanges() {
    clusters().resource(cluster("delta", 3)).create();
    eventually(() -> client.apps().statefulSets().inNamespace(namespace).withName("delta").get());
    // what the operator records once every member reports running 3.6.16 (no etcd runs here): into
    // the status the operator wrote, which a read right after the StatefulSet may not have yet
    EtcdCluster running = Waits.until(clusters().withName("delta"), TIMEOUT, Clusters::reconciled);
    running.getStatus().setVersion("3.6.16");
    clusters().resource(running).subresource("status").patch();
    String imageBefore = image("delta");

    editSpec("delta", c -> {
      c.getSpec().setVersion("3.5.35");
      return c;
    });

    EtcdCluster refused = Waits.until(clusters().withName("delta"), TIMEOUT,
        c -> c.getStatus().getPhase() == Phase.Invalid);
    var progressing = Conditions.find(refused.getStatus().getConditions(), Conditions.PROGRESSING);
    assertThat(progressing.getReason()).isEqualTo("InvalidSpec");
    assertThat(progressing.getMessage()).contains("spec.version 3.5.35 is older than the running 3.6.16");
    assertThat(refused.getStatus().getObservedGeneration()).isEqualTo(refused.getMetadata().getGeneration());
    assertThat(image("delta")).isEqualTo(imageBefore);
  }

  @Test
  void aPausedClusterIsLeftAlone() {
    clusters().resource(cluster("epsilon", 3)).create();
    eventually(() -> client.apps().statefulSets().inNamespace(namespace).withName("epsilon").get());

    editSpec("epsilon", c -> {
      c.getSpec().setPaused(true);
      c.getSpec().setReplicas(5);
      return c;
    });

    EtcdCluster paused = Waits.until(clusters().withName("epsilon"), TIMEOUT,
        c -> c.getStatus().getPhase() == Phase.Paused);
    assertThat(paused.getStatus().getObservedGeneration()).isEqualTo(paused.getMetadata().getGeneration());
    assertThat(client.apps().statefulSets().inNamespace(namespace).withName("epsilon").get().getSpec().getReplicas())
        .isEqualTo(3);
  }

  @Test
  void deletingTheClusterRemovesEveryOwnedObject() {
    clusters().resource(cluster("zeta", 3)).create();
    eventually(() -> owned("zeta").size() == 5 ? true : null);

    clusters().withName("zeta").delete();

    await().atMost(TIMEOUT).until(() -> owned("zeta").isEmpty());
  }

  private static Condition progressing(EtcdCluster cluster) {
    return Conditions.find(cluster.getStatus().getConditions(), Conditions.PROGRESSING);
  }

  private static void editSpec(String name, UnaryOperator<EtcdCluster> change) {
    Edits.edit(clusters().withName(name), change);
  }

  private static void storageClass(String name, boolean expandable) {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("Immediate")
        .withAllowVolumeExpansion(expandable)
        .build()).createOr(existing -> existing.update());
  }

  /** A volume pre-bound to the claim; nothing runs here, so it is never mounted. */
  private static void volumeFor(String claim, String storageClass) {
    client.persistentVolumes().resource(new PersistentVolumeBuilder()
        .withNewMetadata().withName(namespace + "-" + claim).endMetadata()
        .withNewSpec()
          .withCapacity(Map.of("storage", new Quantity("8Gi")))
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(storageClass)
          .withNewHostPath().withPath("/nonexistent/" + claim).endHostPath()
          .withNewClaimRef().withNamespace(namespace).withName(claim).endClaimRef()
        .endSpec()
        .build()).create();
  }

  private static String claimPhase(String claim) {
    var pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    return pvc == null || pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
  }

  private static List<String> podUids(String cluster) {
    return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", cluster).list().getItems()
        .stream().map(p -> p.getMetadata().getUid()).sorted().toList();
  }


  private static String image(String name) {
    return client.apps().statefulSets().inNamespace(namespace).withName(name).get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static int pdbMinAvailable(String name) {
    PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(name).get();
    return pdb == null ? -1 : pdb.getSpec().getMinAvailable().getIntVal();
  }

  private static List<HasMetadata> owned(String name) {
    return Stream.of(
            client.apps().statefulSets().inNamespace(namespace).withName(name).get(),
            client.services().inNamespace(namespace).withName(name + "-peer").get(),
            client.services().inNamespace(namespace).withName(name + "-client").get(),
            client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(name).get(),
            client.configMaps().inNamespace(namespace).withName(name + "-bootstrap").get())
        .filter(o -> o != null)
        .map(HasMetadata.class::cast)
        .toList();
  }

  private static Map<String, String> resourceVersions(String name) {
    return owned(name).stream().collect(java.util.stream.Collectors.toMap(
        o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o.getMetadata().getResourceVersion()));
  }

  private static void assertOwnedBy(EtcdCluster cluster, HasMetadata owned) {
    assertThat(owned.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getUid()).isEqualTo(cluster.getMetadata().getUid());
      assertThat(ref.getKind()).isEqualTo("EtcdCluster");
    });
  }

  private static <T> T eventually(Supplier<T> probe) {
    return await().atMost(TIMEOUT).until(probe::get, value -> value != null);
  }

  private static io.fabric8.kubernetes.client.dsl.MixedOperation<EtcdCluster, io.fabric8.kubernetes.api.model.KubernetesResourceList<EtcdCluster>, io.fabric8.kubernetes.client.dsl.Resource<EtcdCluster>> clustersOp() {
    return client.resources(EtcdCluster.class);
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<EtcdCluster, io.fabric8.kubernetes.api.model.KubernetesResourceList<EtcdCluster>, io.fabric8.kubernetes.client.dsl.Resource<EtcdCluster>> clusters() {
    return clustersOp().inNamespace(namespace);
  }

  private static EtcdCluster cluster(String name, int replicas) {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName(name);
    cluster.getSpec().setReplicas(replicas);
    return cluster;
  }
}
