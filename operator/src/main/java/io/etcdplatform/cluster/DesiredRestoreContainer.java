package io.etcdplatform.cluster;

import io.etcdplatform.kube.PodDefaults;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.SnapshotSource;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.cluster.RestoreSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The init container that starts each initial member of a cluster from a backup: the operator
 * image running {@code restore-snapshot} (etcd images have no shell to decide whether to
 * restore), with the member's claim, the bootstrap data, and the storage's credentials or the
 * backup's claim (read-only).
 */
public final class DesiredRestoreContainer {

  public static final String NAME = "restore";
  static final String TMP_VOLUME = "restore-tmp";

  /** The init container and the volumes it needs besides the member's data. */
  public record Init(Container container, List<Volume> volumes) {}

  private DesiredRestoreContainer() {}

  public static Init build(EtcdCluster cluster, String operatorImage, RestoreSource source) {
    List<EnvVar> env = new ArrayList<>(memberEnv(cluster, source));
    List<Volume> volumes = new ArrayList<>(List.of(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir()
        .endEmptyDir().build()));
    List<VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder().withName(DesiredStatefulSet.DATA_VOLUME).withMountPath(EtcdCommandLine.DATA_DIR).build(),
        new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build()));
    SnapshotSource stored = SnapshotSource.of(source.destination(), source.key(), source.uri(), source.sha256());
    env.addAll(stored.env());
    volumes.addAll(stored.volumes());
    mounts.addAll(stored.mounts());
    Container container = new ContainerBuilder()
        .withName(NAME)
        .withImage(operatorImage)
        .withImagePullPolicy("IfNotPresent")
        .withArgs("restore-snapshot")
        .withEnv(env)
        .addNewEnvFrom().withNewConfigMapRef().withName(ClusterNames.bootstrapConfigMap(cluster)).endConfigMapRef().endEnvFrom()
        .withVolumeMounts(mounts)
        .withSecurityContext(PodDefaults.restrictedContainer())
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
    return new Init(container, volumes);
  }

  /** Who restores (the initial members, each with its own release's etcdutl) and what. */
  private static List<EnvVar> memberEnv(EtcdCluster cluster, RestoreSource source) {
    String members = IntStream.range(0, cluster.getSpec().getReplicas())
        .mapToObj(i -> ClusterNames.member(cluster, i)).collect(Collectors.joining(","));
    List<EnvVar> env = new ArrayList<>(List.of(
        new EnvVarBuilder().withName(EtcdCommandLine.POD_NAME_ENV).withNewValueFrom().withNewFieldRef()
            .withApiVersion("v1").withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
        env("RESTORE_MEMBERS", members),
        env("RESTORE_DATA_DIR", EtcdCommandLine.DATA_DIR + "/data"),
        env("RESTORE_STORAGE_SIZE", cluster.getSpec().getStorage().getSize()),
        env("RESTORE_ETCD_MINOR", SnapshotSource.toolsRelease(cluster.getSpec().getVersion()))));
    if (source.backup() != null) {
      env.add(env(RestoreSource.BACKUP_ENV, source.backup()));
    }
    return env;
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
