package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * How a container of the operator image reads a stored snapshot (the restore init container, the
 * verification Job): the RESTORE_* environment the backup commands read, and for a claim its
 * volume, mounted read-only at {@value #MOUNT}. One home for that contract.
 */
public record SnapshotSource(List<EnvVar> env, List<Volume> volumes, List<VolumeMount> mounts) {

  public static final String VOLUME = "restore-source";
  public static final String MOUNT = "/restore-source";

  /**
   * @param key the snapshot's key in the bucket, or its path in the claim
   * @param uri how messages name it
   * @param sha256 what it must hash to, when recorded
   */
  public static SnapshotSource of(BackupDestination destination, String key, String uri, String sha256) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env("RESTORE_SOURCE", uri));
    if (sha256 != null) {
      env.add(env("RESTORE_SHA256", sha256));
    }
    var s3 = destination.getS3();
    if (s3 != null) {
      env.addAll(List.of(
          env("RESTORE_ENDPOINT", s3.getEndpoint()),
          env("RESTORE_REGION", s3.getRegion()),
          env("RESTORE_PATH_STYLE", String.valueOf(Boolean.TRUE.equals(s3.getForcePathStyle()))),
          env("RESTORE_BUCKET", s3.getBucket()),
          env("RESTORE_KEY", key),
          secret("AWS_ACCESS_KEY_ID", s3.getCredentialsSecret().getName(), s3.getCredentialsSecret().getAccessKeyIdKey()),
          secret("AWS_SECRET_ACCESS_KEY", s3.getCredentialsSecret().getName(),
              s3.getCredentialsSecret().getSecretAccessKeyKey())));
      return new SnapshotSource(env, List.of(), List.of());
    }
    env.add(env("RESTORE_FILE", MOUNT + "/" + key));
    return new SnapshotSource(env,
        List.of(new VolumeBuilder().withName(VOLUME).withNewPersistentVolumeClaim()
            .withClaimName(destination.getPvc().getClaimName()).withReadOnly(true).endPersistentVolumeClaim().build()),
        List.of(new VolumeMountBuilder().withName(VOLUME).withMountPath(MOUNT).withReadOnly(true).build()));
  }

  /** The release directory of the etcd tools the operator image carries for a version: its minor, e.g. "3.6". */
  public static String toolsRelease(String etcdVersion) {
    return etcdVersion.replaceAll("^(\\d+\\.\\d+)\\..*$", "$1");
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .endSecretKeyRef().endValueFrom().build();
  }
}
