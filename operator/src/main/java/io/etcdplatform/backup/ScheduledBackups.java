package io.etcdplatform.backup;

import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.api.v1alpha1.BackupSchedule;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.schedule.Cron;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * spec.backup: an EtcdBackup per scheduled run (named after the run, so a run is taken once
 * whatever the operator's restarts: the object is the record), owned by the cluster; and the
 * retention ({@link BackupRetention}), which deletes the finished scheduled backups it no longer
 * keeps together with their snapshot. Only the latest missed run is taken, never a catch-up series.
 */
public final class ScheduledBackups {

  public static final String CLUSTER_LABEL = "etcdplatform.io/cluster";
  public static final String SCHEDULED_LABEL = "etcdplatform.io/scheduled";
  private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);
  private static final DateTimeFormatter RUN = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final Duration storageTimeout;
  private final String operatorImage;

  public ScheduledBackups(Duration storageTimeout, String operatorImage) {
    this.storageTimeout = storageTimeout;
    this.operatorImage = operatorImage;
  }

  /** Creates the backup of the latest run when it does not exist yet, applies the retention; returns the time until the next run. */
  public Optional<Duration> reconcile(EtcdCluster cluster, KubernetesClient client, Instant now) {
    BackupSchedule schedule = cluster.getSpec().getBackup();
    if (schedule == null) {
      return Optional.empty();
    }
    Cron cron = Cron.parse(schedule.getSchedule(), "spec.backup.schedule");
    String namespace = cluster.getMetadata().getNamespace();
    var backups = client.resources(EtcdBackup.class).inNamespace(namespace);
    List<EtcdBackup> scheduled = backups.withLabels(Map.of(CLUSTER_LABEL, cluster.getMetadata().getName(),
        SCHEDULED_LABEL, "true")).list().getItems();
    Instant created = Instant.parse(cluster.getMetadata().getCreationTimestamp());
    cron.lastAtOrBefore(now).filter(run -> !run.isBefore(created)).ifPresent(run -> {
      String name = runName(cluster.getMetadata().getName(), run);
      if (scheduled.stream().noneMatch(b -> b.getMetadata().getName().equals(name))) {
        try {
          backups.resource(backupOf(cluster, name, schedule)).create();
          log.info("{}/{}: scheduled backup {} created", namespace, cluster.getMetadata().getName(), name);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
        }
      }
    });
    for (EtcdBackup expired : BackupRetention.expired(scheduled, schedule.getRetention(), now)) {
      delete(client, cluster, expired);
    }
    Optional<Instant> next = cron.nextAfter(now);
    if (schedule.getVerifySchedule() != null && Cron.isValid(schedule.getVerifySchedule())) {
      Cron drills = Cron.parse(schedule.getVerifySchedule(), "spec.backup.verifySchedule");
      ScheduledDrills.due(cluster.getMetadata().getName(), drills, backups.list().getItems(), created, now)
          .ifPresent(drill -> ask(client, namespace, drill));
      next = earliest(next, drills.nextAfter(now));
    }
    return next.map(at -> Duration.between(now, at));
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /** The drill of spec.backup.verifySchedule, asked for as a person would: the annotation (the EtcdBackup controller runs it). */
  private static void ask(KubernetesClient client, String namespace, ScheduledDrills.Drill drill) {
    client.resources(EtcdBackup.class).inNamespace(namespace).withName(drill.backup())
        .edit(backup -> {
          var annotations = new HashMap<String, String>(
              Optional.ofNullable(backup.getMetadata().getAnnotations()).orElse(Map.of()));
          annotations.put(BackupVerifications.ANNOTATION, drill.request());
          backup.getMetadata().setAnnotations(annotations);
          return backup;
        });
    log.info("{}/{}: restore drill of spec.backup.verifySchedule asked for ({})", namespace, drill.backup(),
        drill.request());
  }

  static String runName(String cluster, Instant run) {
    return cluster + "-" + RUN.format(run);
  }

  /** Whether the schedule created this backup (so its retention and the skipping of runs apply to it). */
  static boolean isScheduled(EtcdBackup backup) {
    var labels = backup.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(SCHEDULED_LABEL));
  }

  /** The stored snapshot first, then the EtcdBackup: a snapshot is never left without its record. */
  private void delete(KubernetesClient client, EtcdCluster cluster, EtcdBackup backup) {
    if (storedSnapshotGone(client, cluster, backup)) {
      client.resource(backup).delete();
      log.info("{}/{}: deleted by the retention of spec.backup", backup.getMetadata().getNamespace(),
          backup.getMetadata().getName());
    }
  }

  /** Whether nothing of the backup is left in its storage: deleted now, or never stored. */
  private boolean storedSnapshotGone(KubernetesClient client, EtcdCluster cluster, EtcdBackup backup) {
    Phase phase = backup.getStatus().getPhase();
    if (phase == Phase.Skipped) {
      return true;
    }
    if (backup.getSpec().getDestination().getS3() != null) {
      return phase != Phase.Succeeded || deletedFromS3(client, backup);
    }
    // a failed save may have left a partial file, unless the claim was never there
    boolean claimExists = client.persistentVolumeClaims().inNamespace(backup.getMetadata().getNamespace())
        .withName(backup.getSpec().getDestination().getPvc().getClaimName()).get() != null;
    return (!claimExists && phase != Phase.Succeeded) || deletedFromClaim(client, cluster, backup);
  }

  private boolean deletedFromS3(KubernetesClient client, EtcdBackup backup) {
    String namespace = backup.getMetadata().getNamespace();
    var s3 = backup.getSpec().getDestination().getS3();
    S3Stores.Opened opened = S3Stores.open(client, namespace, s3, storageTimeout);
    if (opened instanceof S3Stores.Refused refused) {
      log.warn("{}/{}: retention could not delete the snapshot, kept for the next pass: {}", namespace,
          backup.getMetadata().getName(), refused.reason());
      return false;
    }
    try (S3SnapshotStore store = ((S3Stores.Store) opened).store()) {
      store.delete(new Location(s3.getBucket(), BackupKeys.of(backup)));
      return true;
    } catch (SdkException e) {
      log.warn("{}/{}: retention could not delete the snapshot, kept for the next pass: {}", namespace,
          backup.getMetadata().getName(), e.getMessage());
      return false;
    }
  }

  /**
   * Whether the Job that deletes the snapshot from its claim has done so; it is started the first
   * time, and started again at a later pass when it failed.
   */
  private boolean deletedFromClaim(KubernetesClient client, EtcdCluster cluster, EtcdBackup backup) {
    var jobs = client.batch().v1().jobs().inNamespace(backup.getMetadata().getNamespace());
    Job job = jobs.withName(SnapshotJobs.deleteName(backup)).get();
    if (job == null) {
      try {
        jobs.resource(SnapshotJobs.delete(backup, cluster, operatorImage)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      return false;
    }
    if (SnapshotJobOutcome.has(job, "Failed")) {
      log.warn("{}/{}: retention could not delete the snapshot (Job {} failed), trying again at the next pass",
          backup.getMetadata().getNamespace(), backup.getMetadata().getName(), job.getMetadata().getName());
      jobs.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      return false;
    }
    return SnapshotJobOutcome.has(job, "Complete");
  }

  private static EtcdBackup backupOf(EtcdCluster cluster, String name, BackupSchedule schedule) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.getMetadata().setNamespace(cluster.getMetadata().getNamespace());
    backup.getMetadata().setLabels(Map.of(CLUSTER_LABEL, cluster.getMetadata().getName(), SCHEDULED_LABEL, "true"));
    backup.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
        .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid())
        .withBlockOwnerDeletion(false).withController(false).build()));
    EtcdBackupSpec spec = new EtcdBackupSpec();
    spec.setClusterName(cluster.getMetadata().getName());
    spec.setDestination(schedule.getDestination());
    spec.setVerify(Boolean.TRUE.equals(schedule.getVerify()) ? Boolean.TRUE : null);
    backup.setSpec(spec);
    return backup;
  }
}
