package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a backup's snapshot is: {@code <prefix or path>/<cluster>/<backup name>.db}, without
 * empty segments, as an object key in the bucket or a file's path in the claim.
 */
public final class BackupKeys {

  private BackupKeys() {}

  /** Where this backup's snapshot is (or goes). */
  public static String of(EtcdBackup backup) {
    return of(backup.getSpec().getDestination(), backup.getSpec().getClusterName(), backup.getMetadata().getName());
  }

  public static String of(BackupDestination destination, String cluster, String backup) {
    return of(destination.getS3() != null ? destination.getS3().getPrefix() : destination.getPvc().getPath(), cluster,
        backup);
  }

  public static String of(String prefix, String cluster, String backup) {
    return Stream.concat(Stream.of((prefix == null ? "" : prefix).split("/")), Stream.of(cluster, backup + ".db"))
        .filter(segment -> !segment.isEmpty()).collect(Collectors.joining("/"));
  }

  /** s3://bucket/key or pvc://claim/path, as the status shows it. */
  public static String uri(BackupDestination destination, String key) {
    return destination.getS3() != null ? s3Uri(destination.getS3().getBucket(), key)
        : "pvc://" + destination.getPvc().getClaimName() + "/" + key;
  }

  public static String s3Uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }
}
