package io.etcdplatform.backup;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.kube.PodDefaults;
import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.kube.SnapshotSource;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.OperatorCredentials;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Jobs that reach a backup's claim, which the operator cannot mount itself: the operator image
 * running {@code save-snapshot} (from one member into the claim) or {@code delete-snapshot} (for
 * the retention), with the claim at {@value #MOUNT}; and the restore drill, {@code verify-snapshot},
 * which reads the snapshot from the claim or the bucket. Owned by the EtcdBackup, one attempt each,
 * with a deadline.
 */
public final class SnapshotJobs {

  public static final String BACKUP_LABEL = "etcdplatform.io/backup";
  public static final String SAVE_COMPONENT = "backup-save";
  public static final String DELETE_COMPONENT = "backup-delete";
  public static final String VERIFY_COMPONENT = "backup-verify";
  /** On a verification Job: the request (status.verification.request) it answers. */
  public static final String REQUEST_ANNOTATION = "etcdplatform.io/verification-request";
  private static final String MOUNT = "/backup";
  private static final String TLS_MOUNT = "/etc/etcdplatform/operator-tls";
  /**
   * The termination message, in the Job's own /tmp emptyDir: a kubelet mounts it at any path, and
   * the local environment's node agent reads it from there.
   */
  private static final String RESULT_FILE = "/tmp/termination-log";
  private static final Duration DELETE_DEADLINE = Duration.ofMinutes(5);
  private static final Quantity SAVE_MEMORY = new Quantity("512Mi");
  /** The JVM and a throwaway etcd, whose resident memory grows with the database it reads (see the benchmark). */
  private static final Quantity VERIFY_MEMORY = new Quantity("3Gi");

  private SnapshotJobs() {}

  /**
   * Takes a snapshot of {@code member} into the claim, as the operator: with its client certificate
   * on a TLS cluster, as root on a plaintext cluster with etcd auth.
   */
  public static Job save(EtcdBackup backup, EtcdCluster cluster, String operatorImage, ClusterAccess access,
      String member, Duration timeout) {
    List<EnvVar> env = new ArrayList<>(List.of(
        env("SNAPSHOT_ENDPOINT", access.clientUrl(member)),
        env("SNAPSHOT_TIMEOUT_SECONDS", String.valueOf(timeout.toSeconds())),
        env("SNAPSHOT_RESULT_FILE", RESULT_FILE)));
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    if (cluster.getSpec().tlsEnabled()) {
      // the operator's client certificate: on a TLS cluster with auth, its CN is the operator's etcd user too
      volumes.add(new VolumeBuilder().withName("operator-tls").withNewSecret()
          .withSecretName(ClusterNames.operatorTlsSecret(cluster)).withDefaultMode(0440).endSecret().build());
      mounts.add(new VolumeMountBuilder().withName("operator-tls").withMountPath(TLS_MOUNT).withReadOnly(true).build());
      env.add(env("SNAPSHOT_TLS_DIR", TLS_MOUNT));
    } else if (OperatorCredentials.authEnabledInStatus(cluster)) {
      // root's password by reference: it is never written into the Job
      env.add(env("SNAPSHOT_USER", OperatorCredentials.ROOT));
      env.add(new EnvVarBuilder().withName("SNAPSHOT_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
          .withName(ClusterNames.authRootSecret(cluster)).withKey(OperatorCredentials.PASSWORD).endSecretKeyRef()
          .endValueFrom().build());
    }
    return inClaim(backup, cluster, SAVE_COMPONENT, "snapshot", operatorImage, "save-snapshot", timeout.plusMinutes(2),
        env, volumes, mounts);
  }

  /** Deletes the backup's snapshot from the claim. */
  public static Job delete(EtcdBackup backup, EtcdCluster cluster, String operatorImage) {
    return inClaim(backup, cluster, DELETE_COMPONENT, "delete", operatorImage, "delete-snapshot", DELETE_DEADLINE,
        List.of(), List.of(), List.of());
  }

  /**
   * The restore drill of a Succeeded backup, answering {@code request}: the snapshot read from where
   * it is stored (the claim read-only, or the bucket with the storage's credentials) and checked
   * against what the backup recorded, with etcdutl and etcd of the cluster's release, in the Job's
   * /tmp emptyDir (which needs about twice the snapshot's size), the throwaway etcd on the pod's IP.
   */
  public static Job verify(EtcdBackup backup, EtcdCluster cluster, String operatorImage, String request,
      Duration timeout) {
    var status = backup.getStatus();
    SnapshotSource source = SnapshotSource.of(backup.getSpec().getDestination(), BackupKeys.of(backup),
        status.getLocation(), status.getSha256());
    List<EnvVar> env = new ArrayList<>(source.env());
    env.addAll(List.of(
        env("VERIFY_REVISION", String.valueOf(status.getRevision())),
        env("VERIFY_ETCD_MINOR", SnapshotSource.toolsRelease(cluster.getSpec().getVersion())),
        env("VERIFY_DIR", "/tmp/verify"),
        env("VERIFY_RESULT_FILE", RESULT_FILE),
        new EnvVarBuilder().withName("VERIFY_ADDRESS").withNewValueFrom().withNewFieldRef().withApiVersion("v1")
            .withFieldPath("status.podIP").endFieldRef().endValueFrom().build()));
    if (status.getKeys() != null) {
      env.add(env("VERIFY_KEYS", String.valueOf(status.getKeys())));
    }
    if (status.getHashKv() != null) {
      env.add(env("VERIFY_HASH_KV", String.valueOf(status.getHashKv())));
    }
    Job job = job(backup, cluster, VERIFY_COMPONENT, "verify", operatorImage, "verify-snapshot",
        timeout.multipliedBy(2).plusMinutes(10), env, source.volumes(), source.mounts(), VERIFY_MEMORY);
    job.getMetadata().setAnnotations(Map.of(REQUEST_ANNOTATION, request));
    return job;
  }

  public static String verifyName(EtcdBackup backup) {
    return name(backup, "verify");
  }

  public static String deleteName(EtcdBackup backup) {
    return name(backup, "delete");
  }

  /** A Job with the backup's claim at {@value #MOUNT} and SNAPSHOT_FILE naming the snapshot's file in it. */
  private static Job inClaim(EtcdBackup backup, EtcdCluster cluster, String component, String suffix,
      String operatorImage, String command, Duration deadline, List<EnvVar> env, List<Volume> volumes,
      List<VolumeMount> mounts) {
    var pvc = backup.getSpec().getDestination().getPvc();
    String file = MOUNT + "/" + BackupKeys.of(backup);
    return job(backup, cluster, component, suffix, operatorImage, command, deadline,
        Stream.concat(Stream.of(env("SNAPSHOT_FILE", file)), env.stream()).toList(),
        Stream.concat(Stream.of(new VolumeBuilder().withName("backup").withNewPersistentVolumeClaim()
            .withClaimName(pvc.getClaimName()).endPersistentVolumeClaim().build()), volumes.stream()).toList(),
        Stream.concat(Stream.of(new VolumeMountBuilder().withName("backup").withMountPath(MOUNT).build()),
            mounts.stream()).toList(), SAVE_MEMORY);
  }

  /** {@code cluster}: the backup's, whose spec.podTemplate.imagePullSecrets pull the operator image too. */
  private static Job job(EtcdBackup backup, EtcdCluster cluster, String component, String suffix, String operatorImage,
      String command, Duration deadline, List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts,
      Quantity memoryLimit) {
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
              .withVolumes(volumes)
              .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
              .withContainers(container(suffix, operatorImage, command, env, mounts, memoryLimit))
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The operator image running one command, its result in its termination message. */
  private static Container container(String name, String operatorImage, String command, List<EnvVar> env,
      List<VolumeMount> mounts, Quantity memoryLimit) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(operatorImage)
        .withImagePullPolicy("IfNotPresent")
        .withArgs(command)
        .withEnv(env)
        .withVolumeMounts(mounts)
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .withSecurityContext(PodDefaults.restrictedContainer())
        .withNewResources()
          .addToRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
          .addToLimits("memory", memoryLimit)
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
