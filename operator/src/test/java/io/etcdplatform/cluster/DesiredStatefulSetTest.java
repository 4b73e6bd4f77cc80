package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PodTemplate;
import io.etcdplatform.api.v1alpha1.StorageSpec.RetentionPolicy;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DesiredStatefulSetTest {

  private static StatefulSet build(EtcdCluster cluster) {
    return DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", cluster.getSpec().getReplicas(), Optional.empty());
  }

  private static Container etcd(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void membersStartTogetherAndRestartOnlyWhenTheOperatorDeletesThem() {
    StatefulSet sts = build(cluster("main", 5));

    assertThat(sts.getMetadata().getName()).isEqualTo("main");
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(5);
    assertThat(DesiredStatefulSet.build(cluster("main", 5), "r", 4, Optional.empty()).getSpec().getReplicas())
        .as("the membership, not the spec, sizes the StatefulSet").isEqualTo(4);
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(sts.getSpec().getServiceName()).isEqualTo("main-peer");
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "etcd", "app.kubernetes.io/instance", "main"));
  }

  @Test
  void operatorLabelsWinOverUserLabelsAndUserSchedulingIsPassedThrough() {
    EtcdCluster cluster = cluster("main", 3);
    PodTemplate template = new PodTemplate();
    template.setLabels(Map.of("team", "storage", "app.kubernetes.io/instance", "spoofed",
        "etcdplatform.io/client-endpoint", "false"));
    template.setAnnotations(Map.of("note", "x"));
    template.setNodeSelector(Map.of("disk", "ssd"));
    template.setPriorityClassName("system-cluster-critical");
    template.setAffinity(new AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build());
    template.setImagePullSecrets(List.of(new LocalObjectReference("registry-credentials")));
    cluster.getSpec().setPodTemplate(template);

    var pod = build(cluster).getSpec().getTemplate();

    assertThat(pod.getMetadata().getLabels()).containsEntry("team", "storage")
        .containsEntry("app.kubernetes.io/instance", "main")
        .as("a new pod is in the client Service's endpoints").containsEntry("etcdplatform.io/client-endpoint", "true");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "x");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("disk", "ssd");
    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getSpec().getAffinity().getPodAntiAffinity()).isNull();
    assertThat(pod.getSpec().getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
        .containsExactly("registry-credentials");
  }

  @Test
  void membersPreferDifferentNodesByDefault() {
    var antiAffinity = build(cluster("main", 3)).getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();

    assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).isEmpty();
    assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
      assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/instance", "main");
    });
  }

  @Test
  void aTlsClusterMountsItsMembersSecretReadOnlyAndReadableOnlyByTheMembersGroup() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().setTls(new TlsSpec());
    StatefulSet sts = build(cluster);

    var volume = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("main-tls-member");
    assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0440);
    var mount = etcd(sts).getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
    assertThat(mount.getMountPath()).isEqualTo("/etc/etcd/tls");
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(etcd(sts).getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(ClusterNames.METRICS_PORT);
    assertThat(build(cluster("main", 3)).getSpec().getTemplate().getSpec().getVolumes()).isEmpty();
  }

  @Test
  void runsRestrictedWithoutServiceLinksOrToken() {
    StatefulSet sts = build(cluster("main", 3));
    var pod = sts.getSpec().getTemplate().getSpec();
    var container = etcd(sts).getSecurityContext();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    // service links would put ETCD_*-looking variables into etcd's environment
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void usesTheOfficialImageOfTheVersionUnlessOverridden() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().setVersion("3.5.35");
    assertThat(etcd(build(cluster)).getImage()).isEqualTo("quay.io/coreos/etcd:v3.5.35");

    cluster.getSpec().setImage("registry.example/etcd:patched");
    assertThat(etcd(build(cluster)).getImage()).isEqualTo("registry.example/etcd:patched");
  }

  @ParameterizedTest
  @CsvSource({"3.6.16", "3.5.35", "3.5.19"})
  void probesUseTheLivezAndReadyzEndpointsOfEverySupportedRelease(String version) {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().setVersion(version);
    Container etcd = etcd(build(cluster));

    assertThat(etcd.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(etcd.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(etcd.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(etcd.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(ClusterNames.METRICS_PORT);
  }

  @Test
  void bootstrapDataComesFromTheConfigMapAndPodIdentityFromTheDownwardApi() {
    Container etcd = etcd(build(cluster("main", 3)));

    assertThat(etcd.getEnvFrom()).singleElement()
        .satisfies(source -> assertThat(source.getConfigMapRef().getName()).isEqualTo("main-bootstrap"));
    assertThat(etcd.getEnv()).extracting(e -> e.getName() + "=" + e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactly("POD_NAME=metadata.name", "POD_IP=status.podIP");
    assertThat(etcd.getCommand()).containsExactly("/usr/local/bin/etcd");
  }

  @Test
  void claimsFollowTheSpecOnCreationAndKeepTheCurrentSizeAfterwards() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().getStorage().setSize("20Gi");
    cluster.getSpec().getStorage().setStorageClassName("fast");
    cluster.getSpec().getStorage().setRetentionPolicyOnDelete(RetentionPolicy.Delete);

    StatefulSet created = build(cluster);
    var claim = created.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(claim.getMetadata().getName()).isEqualTo("data");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
    assertThat(created.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
    assertThat(created.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Delete");

    StatefulSet existing = DesiredStatefulSet.build(cluster, "quay.io/coreos/etcd", 3, Optional.of(new Quantity("8Gi")));
    assertThat(existing.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("8Gi"));
  }
}
