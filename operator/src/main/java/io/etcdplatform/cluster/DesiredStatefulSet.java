package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.ContainerResources;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.PodTemplate;
import io.etcdplatform.api.v1alpha1.StorageSpec;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.PodDefaults;
import io.etcdplatform.tls.MemberTlsFiles;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The StatefulSet of a cluster: Parallel pod management (members of a new cluster must start
 * together) and OnDelete updates (the operator, not the StatefulSet controller, decides when a
 * member restarts). Fields the API server would default are spelled out, so that server-side
 * apply of an unchanged spec is a no-op; zero values are left out, since the server omits them
 * (minReadySeconds: 0 would read back as absent and look like a change on every reconcile).
 */
public final class DesiredStatefulSet {

  public static final String COMPONENT = "etcd";
  public static final String CONTAINER = "etcd";
  public static final String DATA_VOLUME = "data";
  static final String TLS_VOLUME = "tls";
  /** Read by the owner and the pod's fsGroup only (keys in it). */
  static final int TLS_FILE_MODE = 0440;
  /** Every supported release serves both; /readyz fails on a learner (see SupportedVersions). */
  static final String LIVENESS_PATH = "/livez";
  static final String READINESS_PATH = "/readyz";

  private DesiredStatefulSet() {}

  /** The claim the StatefulSet controller makes for a member from the data template: {@code data-<member>}. */
  public static String claimOf(String member) {
    return DATA_VOLUME + "-" + member;
  }

  /**
   * @param replicas pods to keep: from the membership ({@code MembershipLayout}), not the spec, so
   *     that no pod ever exists without its member and scale-down removes the member first
   * @param currentClaimSize the claim size of the existing StatefulSet, kept because claim
   *     templates are immutable ({@link StorageExpansion} grows them); empty on creation
   */
  public static StatefulSet build(EtcdCluster cluster, String defaultImageRepository, int replicas,
      Optional<Quantity> currentClaimSize) {
    return build(cluster, defaultImageRepository, replicas, currentClaimSize, Optional.empty());
  }

  /** @param restore the init container of a cluster starting from a backup, until it has formed */
  public static StatefulSet build(EtcdCluster cluster, String defaultImageRepository, int replicas,
      Optional<Quantity> currentClaimSize, Optional<DesiredRestoreContainer.Init> restore) {
    return build(cluster, defaultImageRepository, replicas, currentClaimSize, restore, Optional.empty());
  }

  /**
   * @param trust on a TLS cluster, the digest of the members' trust bundles ({@link MemberTlsFiles#TRUST_ANNOTATION}):
   *     etcd reads its trusted authorities only at start, so a new bundle makes the members outdated and
   *     they restart one at a time
   */
  public static StatefulSet build(EtcdCluster cluster, String defaultImageRepository, int replicas,
      Optional<Quantity> currentClaimSize, Optional<DesiredRestoreContainer.Init> restore, Optional<String> trust) {
    EtcdClusterSpec spec = cluster.getSpec();
    PodTemplate pod = Optional.ofNullable(spec.getPodTemplate()).orElseGet(PodTemplate::new);
    return new StatefulSetBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.statefulSet(cluster), COMPONENT))
        .withNewSpec()
          .withReplicas(replicas)
          .withServiceName(ClusterNames.peerService(cluster))
          .withPodManagementPolicy("Parallel")
          .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
          .withRevisionHistoryLimit(10)
          .withNewSelector().withMatchLabels(ClusterLabels.selector(cluster)).endSelector()
          .withNewPersistentVolumeClaimRetentionPolicy()
            .withWhenDeleted(spec.getStorage().getRetentionPolicyOnDelete().name())
            // a removed member's data must never be reused by a later scale-up
            .withWhenScaled("Delete")
          .endPersistentVolumeClaimRetentionPolicy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(podLabels(cluster, pod))
              .withAnnotations(podAnnotations(pod, trust))
            .endMetadata()
            .withSpec(podSpec(cluster, defaultImageRepository, pod, restore))
          .endTemplate()
          .withVolumeClaimTemplates(dataClaim(cluster, spec.getStorage(),
              currentClaimSize.orElseGet(() -> new Quantity(spec.getStorage().getSize()))))
        .endSpec()
        .build();
  }

  private static PodSpec podSpec(EtcdCluster cluster, String defaultImageRepository, PodTemplate pod,
      Optional<DesiredRestoreContainer.Init> restore) {
    return new PodSpecBuilder()
        // empty lists, never null: JOSDK's server-side-apply matcher compares them element-wise
        .withInitContainers(restore.map(r -> List.of(r.container())).orElse(List.of()))
        .withVolumes(volumes(cluster, restore))
        .withContainers(etcdContainer(cluster, defaultImageRepository))
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(30L)
        .withRestartPolicy("Always")
        .withDnsPolicy("ClusterFirst")
        .withSchedulerName("default-scheduler")
        .withSecurityContext(PodDefaults.nonRootPod())
        .withAffinity(Optional.ofNullable(pod.getAffinity()).orElseGet(() -> preferOneMemberPerNode(cluster)))
        .withTolerations(pod.getTolerations())
        .withNodeSelector(pod.getNodeSelector())
        .withTopologySpreadConstraints(pod.getTopologySpreadConstraints())
        .withPriorityClassName(pod.getPriorityClassName())
        .withImagePullSecrets(PodDefaults.imagePullSecrets(cluster))
        .build();
  }

  private static List<Volume> volumes(EtcdCluster cluster, Optional<DesiredRestoreContainer.Init> restore) {
    List<Volume> volumes = new ArrayList<>(restore.map(DesiredRestoreContainer.Init::volumes).orElse(List.of()));
    if (cluster.getSpec().tlsEnabled()) {
      volumes.add(new VolumeBuilder().withName(TLS_VOLUME).withNewSecret()
          .withSecretName(ClusterNames.memberTlsSecret(cluster)).withDefaultMode(TLS_FILE_MODE).endSecret().build());
    }
    return volumes;
  }

  private static List<VolumeMount> mounts(EtcdCluster cluster) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(EtcdCommandLine.DATA_DIR).build());
    if (cluster.getSpec().tlsEnabled()) {
      mounts.add(new VolumeMountBuilder().withName(TLS_VOLUME).withMountPath(MemberTlsFiles.MOUNT_PATH)
          .withReadOnly(true).build());
    }
    return mounts;
  }

  private static Map<String, String> podAnnotations(PodTemplate pod, Optional<String> trust) {
    if (trust.isEmpty()) {
      return pod.getAnnotations();
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (pod.getAnnotations() != null) {
      annotations.putAll(pod.getAnnotations());
    }
    annotations.put(MemberTlsFiles.TRUST_ANNOTATION, trust.get());
    return annotations;
  }

  private static Map<String, String> podLabels(EtcdCluster cluster, PodTemplate pod) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (pod.getLabels() != null) {
      labels.putAll(pod.getLabels());
    }
    labels.putAll(ClusterLabels.of(cluster, COMPONENT));
    labels.put(ClusterLabels.CLIENT_ENDPOINT, ClusterLabels.IN_CLIENT_ENDPOINTS);
    return labels;
  }

  static String image(EtcdClusterSpec spec, String defaultImageRepository) {
    return spec.getImage() != null ? spec.getImage() : defaultImageRepository + ":v" + spec.getVersion();
  }

  private static Container etcdContainer(EtcdCluster cluster, String defaultImageRepository) {
    EtcdClusterSpec spec = cluster.getSpec();
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image(spec, defaultImageRepository))
        .withImagePullPolicy("IfNotPresent")
        .withCommand("/usr/local/bin/etcd")
        .withArgs(EtcdCommandLine.args(cluster))
        .withEnv(
            fieldEnv(EtcdCommandLine.POD_NAME_ENV, "metadata.name"),
            fieldEnv(EtcdCommandLine.POD_IP_ENV, "status.podIP"))
        .addNewEnvFrom().withNewConfigMapRef().withName(ClusterNames.bootstrapConfigMap(cluster)).endConfigMapRef().endEnvFrom()
        .withPorts(
            port("client", ClusterNames.CLIENT_PORT),
            port("peer", ClusterNames.PEER_PORT),
            port("metrics", ClusterNames.METRICS_PORT))
        .withResources(resources(spec.getResources()))
        .withVolumeMounts(mounts(cluster))
        .withStartupProbe(probe(LIVENESS_PATH, 10, 30))
        .withLivenessProbe(probe(LIVENESS_PATH, 10, 6))
        .withReadinessProbe(probe(READINESS_PATH, 5, 3))
        .withSecurityContext(PodDefaults.restrictedContainer())
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  private static ResourceRequirements resources(ContainerResources resources) {
    return resources == null ? null
        : new ResourceRequirementsBuilder().withRequests(resources.getRequests())
            .withLimits(resources.getLimits()).build();
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
          .withPath(path)
          .withPort(new IntOrString(ClusterNames.METRICS_PORT))
          .withScheme("HTTP")
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(5)
        .withSuccessThreshold(1)
        .build();
  }

  private static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(fieldPath).endFieldRef().endValueFrom()
        .build();
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
  }

  private static Affinity preferOneMemberPerNode(EtcdCluster cluster) {
    return new AffinityBuilder()
        .withNewPodAntiAffinity()
          .addNewPreferredDuringSchedulingIgnoredDuringExecution()
            .withWeight(100)
            .withNewPodAffinityTerm()
              .withTopologyKey("kubernetes.io/hostname")
              .withNewLabelSelector().withMatchLabels(ClusterLabels.selector(cluster)).endLabelSelector()
            .endPodAffinityTerm()
          .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  private static PersistentVolumeClaim dataClaim(EtcdCluster cluster, StorageSpec storage, Quantity size) {
    return new PersistentVolumeClaimBuilder()
        .withApiVersion("v1")
        .withKind("PersistentVolumeClaim")
        .withNewMetadata()
          .withName(DATA_VOLUME)
          .withLabels(ClusterLabels.of(cluster, COMPONENT))
        .endMetadata()
        .withNewSpec()
          .withAccessModes(List.of("ReadWriteOnce"))
          .withStorageClassName(storage.getStorageClassName())
          .withVolumeMode("Filesystem")
          .withNewResources().addToRequests("storage", size).endResources()
        .endSpec()
        .build();
  }
}
