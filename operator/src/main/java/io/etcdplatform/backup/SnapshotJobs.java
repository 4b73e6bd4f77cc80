package io.etcdplatform.backup;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.kube.PodDefaults;
import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Jobs that reach a backup's claim, which the operator cannot mount itself: the operator image
 * running {@code save-snapshot} (from one member into the claim) or {@code delete-snapshot} (for
 * the retention), with the claim at {@value #MOUNT}. Owned by the EtcdBackup, one attempt each,
 * with a deadline.
 */
public final class SnapshotJobs {

  public static final String BACKUP_LABEL = "etcdplatform.io/backup";
  public static final String SAVE_COMPONENT = "backup-save";
  public static final String DELETE_COMPONENT = "backup-delete";
  private static final String MOUNT = "/backup";
  /**
   * The termination message, in the Job's own /tmp emptyDir: a kubelet mounts it at any path, and
   * the local environment's node agent reads it from there.
   */
  private static final String RESULT_FILE = "/tmp/termination-log";
  private static final Duration DELETE_DEADLINE = Duration.ofMinutes(5);

  private SnapshotJobs() {}

  /** Takes a snapshot of {@code member} into the claim. */
  public static Job save(EtcdBackup backup, EtcdCluster cluster, String operatorImage, ClusterAccess access,
      String member, Duration timeout) {
    return job(backup, cluster, SAVE_COMPONENT, "snapshot", operatorImage, "save-snapshot", timeout.plusMinutes(2),
        List.of(
            env("SNAPSHOT_ENDPOINT", access.clientUrl(member)),
            env("SNAPSHOT_TIMEOUT_SECONDS", String.valueOf(timeout.toSeconds())),
            env("SNAPSHOT_RESULT_FILE", RESULT_FILE)));
  }

  /** Deletes the backup's snapshot from the claim. */
  public static Job delete(EtcdBackup backup, EtcdCluster cluster, String operatorImage) {
    return job(backup, cluster, DELETE_COMPONENT, "delete", operatorImage, "delete-snapshot", DELETE_DEADLINE,
        List.of());
  }

  public static String deleteName(EtcdBackup backup) {
    return name(backup, "delete");
  }

  /** {@code cluster}: the backup's, whose spec.podTemplate.imagePullSecrets pull the operator image too. */
  private static Job job(EtcdBackup backup, EtcdCluster cluster, String component, String suffix, String operatorImage,
      String command, Duration deadline, List<EnvVar> env) {
    var pvc = backup.getSpec().getDestination().getPvc();
    String file = MOUNT + "/" + BackupKeys.of(backup);
    Map<String, String> labels = Map.of(ClusterLabels.MANAGED_BY, ClusterLabels.MANAGED_BY_VALUE,
        ClusterLabels.COMPONENT, component, ClusterLabels.INSTANCE, backup.getSpec().getClusterName(),
        BACKUP_LABEL, backupLabel(backup));
    return new JobBuilder()
        .withNewMetadata()
          .withName(name(backup, suffix))
          .withNamespace(backup.getMetadata().getNamespace())
          .withLabels(labels)
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(backup.getApiVersion())
              .withKind(backup.getKind()).withName(backup.getMetadata().getName())
              .withUid(backup.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false).build())
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(deadline.toSeconds())
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withImagePullSecrets(PodDefaults.imagePullSecrets(cluster))
              .withSecurityContext(PodDefaults.nonRootPod()) // a claim of many snapshots is not re-owned each time
              .addNewVolume().withName("backup").withNewPersistentVolumeClaim().withClaimName(pvc.getClaimName())
                .endPersistentVolumeClaim().endVolume()
              .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
              .withContainers(container(suffix, operatorImage, command,
                  Stream.concat(Stream.of(env("SNAPSHOT_FILE", file)), env.stream()).toList()))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The operator image running one command, the claim at {@value #MOUNT}, its result in its termination message. */
  private static Container container(String name, String operatorImage, String command, List<EnvVar> env) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(operatorImage)
        .withImagePullPolicy("IfNotPresent")
        .withArgs(command)
        .withEnv(env)
        .addNewVolumeMount().withName("backup").withMountPath(MOUNT).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .withSecurityContext(PodDefaults.restrictedContainer())
        .withNewResources()
          .addToRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
          .addToLimits("memory", new Quantity("512Mi"))
        .endResources()
        .withTerminationMessagePath(RESULT_FILE)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .build();
  }

  /** The value of {@link #BACKUP_LABEL} on the Jobs and pods of a backup. */
  public static String backupLabel(EtcdBackup backup) {
    return shortened(backup.getMetadata().getName(), "");
  }

  private static String name(EtcdBackup backup, String suffix) {
    return shortened(backup.getMetadata().getName(), "-" + suffix);
  }

  /** {@code name + suffix}, within the 63 characters of a label value (and so of a Job's name), unique by a hash. */
  private static String shortened(String name, String suffix) {
    if (name.length() + suffix.length() <= 63) {
      return name + suffix;
    }
    String hash = HexFormat.of().formatHex(sha256(name)).substring(0, 8);
    return name.substring(0, 63 - suffix.length() - 9).replace('.', '-') + "-" + hash + suffix;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
