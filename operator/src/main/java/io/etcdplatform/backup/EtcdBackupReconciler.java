package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.PvcDestination;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.backup.SnapshotJobOutcome.Failed;
import io.etcdplatform.backup.SnapshotJobOutcome.Saved;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.kube.BackupKeys;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.KubernetesAccess;
import io.etcdplatform.kube.OperatorCredentials;
import io.etcdplatform.kube.StatusPatches;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.metrics.BackupResult;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.observation.MemberObserver;
import io.etcdplatform.tls.TlsSecrets;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Takes the snapshot an EtcdBackup asks for, once: Pending, Running, then Succeeded with where it
 * is, how large, its sha256 and revision, or Failed with a message a person can act on, an Event
 * and the {@code etcdplatform_backups_total{result="failure"}} count; a scheduled run of a cluster
 * that cannot be backed up now is Skipped with the reason ({@code result="skipped"}). A finished
 * backup is never taken again. Into S3 the operator streams the snapshot itself; into a claim,
 * which it cannot mount, a Job does ({@link SnapshotJobs}) and reports back through its
 * termination message. A Succeeded backup asked to be verified gets its restore drill
 * ({@link BackupVerifications}).
 */
// not generation-aware: the etcdplatform.io/verify annotation, which asks for a drill, changes no generation
@ControllerConfiguration(name = EtcdBackupReconciler.NAME, generationAwareEventProcessing = false)
public class EtcdBackupReconciler implements Reconciler<EtcdBackup> {

  public static final String NAME = "etcdbackup";
  private static final Set<Phase> FINISHED = EnumSet.of(Phase.Succeeded, Phase.Failed, Phase.Skipped);
  private static final Duration STREAM_WAIT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(EtcdBackupReconciler.class);

  private final EtcdConnections connections;
  private final FleetMeters meters;
  private final Duration storageTimeout;
  private final Duration snapshotTimeout;
  private final String operatorImage;
  private final Clock clock;
  /** Snapshots streamed through this process at once: each holds about 26 MiB of buffers. */
  private final Semaphore streams;
  /** The status of a backup waiting for one of them. */
  private final String waitingForStream;
  private final BackupVerifications verifications;

  public EtcdBackupReconciler(EtcdConnections connections, FleetMeters meters, Duration storageTimeout,
      Duration snapshotTimeout, int maxConcurrentStreams, String operatorImage, Clock clock) {
    this.connections = connections;
    this.meters = meters;
    this.storageTimeout = storageTimeout;
    this.snapshotTimeout = snapshotTimeout;
    this.streams = new Semaphore(maxConcurrentStreams);
    this.waitingForStream = "waiting for one of the " + maxConcurrentStreams
        + " snapshots streaming through the operator to finish (MAX_CONCURRENT_BACKUPS)";
    this.operatorImage = operatorImage;
    this.clock = clock;
    this.verifications = new BackupVerifications(meters, snapshotTimeout, operatorImage, clock);
  }

  @Override
  public List<EventSource<?, EtcdBackup>> prepareEventSources(EventSourceContext<EtcdBackup> context) {
    var jobs = InformerEventSourceConfiguration.from(Job.class, EtcdBackup.class)
        .withName("snapshot-jobs")
        .withLabelSelector(ClusterLabels.MANAGED_SELECTOR + "," + ClusterLabels.COMPONENT + " in ("
            + SnapshotJobs.SAVE_COMPONENT + "," + SnapshotJobs.VERIFY_COMPONENT + ")")
        .withNamespacesInheritedFromController()
        .build();
    return List.of(new InformerEventSource<>(jobs, context));
  }

  @Override
  public UpdateControl<EtcdBackup> reconcile(EtcdBackup cached, Context<EtcdBackup> context) {
    if (finished(cached) && BackupVerifications.pendingRequest(cached).isEmpty()
        && job(context, BackupVerifications::isVerification).isEmpty()) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    String namespace = cached.getMetadata().getNamespace();
    // The informer's copy can lag behind the status patched at the end of the previous pass (a
    // Job's events come quickly): read the phase fresh, so that a backup is never taken twice.
    EtcdBackup backup = client.resources(EtcdBackup.class).inNamespace(namespace).withName(cached.getMetadata().getName())
        .get();
    if (backup == null) {
      return UpdateControl.noUpdate();
    }
    if (finished(backup)) {
      if (backup.getStatus().getPhase() == Phase.Succeeded) {
        verifications.reconcile(client, backup, job(context, BackupVerifications::isVerification));
      }
      return UpdateControl.noUpdate();
    }
    String clusterName = backup.getSpec().getClusterName();
    Instant started = backup.getStatus() != null && backup.getStatus().getStartTime() != null
        ? Instant.parse(backup.getStatus().getStartTime()) : clock.instant();
    EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(clusterName).get();
    if (cluster == null) {
      return failed(client, backup, started, "EtcdCluster " + clusterName + " does not exist in namespace " + namespace
          + ": fix spec.clusterName, and create a new EtcdBackup");
    }
    Optional<String> skip = reasonToSkip(backup, cluster);
    if (skip.isPresent()) {
      return skipped(client, backup, skip.get());
    }
    try {
      return backup.getSpec().getDestination().getS3() != null ? toS3(client, backup, cluster, started)
          : toClaim(client, backup, cluster, started, job(context, j -> !BackupVerifications.isVerification(j))
              .orElse(null));
    } catch (EtcdUnavailableException e) {
      return failed(client, backup, started, "no member of " + clusterName + " could serve a snapshot ("
          + e.getMessage() + "): the cluster needs a healthy member; a scheduled backup tries again at its next run");
    }
  }

  private static Optional<Job> job(Context<EtcdBackup> context, Predicate<Job> kind) {
    return context.getSecondaryResources(Job.class).stream().filter(kind).findFirst();
  }

  static boolean finished(EtcdBackup backup) {
    return backup.getStatus() != null && FINISHED.contains(backup.getStatus().getPhase());
  }

  /**
   * A scheduled run not started yet, of a cluster that cannot be backed up now, is skipped: runs
   * would otherwise pile up as failures. An on-demand backup is tried, and fails saying why.
   */
  private static Optional<String> reasonToSkip(EtcdBackup backup, EtcdCluster cluster) {
    boolean notStarted = backup.getStatus() == null || backup.getStatus().getPhase() == null
        || backup.getStatus().getPhase() == Phase.Pending;
    return ScheduledBackups.isScheduled(backup) && notStarted ? BackupReadiness.whyNot(cluster) : Optional.empty();
  }

  private UpdateControl<EtcdBackup> toS3(KubernetesClient client, EtcdBackup backup, EtcdCluster cluster,
      Instant started) {
    if (!streams.tryAcquire()) {
      // a fleet sharing one schedule must not hold every snapshot's buffers in memory at once
      if (backup.getStatus() != null && waitingForStream.equals(backup.getStatus().getMessage())) {
        return UpdateControl.<EtcdBackup>noUpdate().rescheduleAfter(STREAM_WAIT);
      }
      return UpdateControl.patchStatus(withStatus(backup, pending(waitingForStream))).rescheduleAfter(STREAM_WAIT);
    }
    try {
      return streamToS3(client, backup, cluster, started);
    } finally {
      streams.release();
    }
  }

  /** How the operator reaches the members: with its client certificate on TLS, as root with etcd auth. */
  private static ClusterAccess operatorAccess(KubernetesClient client, EtcdCluster cluster) {
    return KubernetesAccess.of(cluster, TlsSecrets.operatorIdentity(cluster, client),
        OperatorCredentials.of(cluster, client));
  }

  private UpdateControl<EtcdBackup> streamToS3(KubernetesClient client, EtcdBackup backup, EtcdCluster cluster,
      Instant started) {
    S3Destination s3 = backup.getSpec().getDestination().getS3();
    S3Stores.Opened opened = S3Stores.open(client, backup.getMetadata().getNamespace(), s3, storageTimeout);
    if (opened instanceof S3Stores.Refused refused) {
      return failed(client, backup, started, refused.reason());
    }
    ClusterAccess access = operatorAccess(client, cluster);
    SnapshotBackup.Source source = source(access, started);
    // the member is recorded before the stream starts: the cluster's voluntary disruptions wait for it
    client.resource(withStatus(backup, running(started, source, "taking a snapshot of " + source.member())))
        .patchStatus();
    Location location = new Location(s3.getBucket(), BackupKeys.of(backup));
    try (S3SnapshotStore store = ((S3Stores.Store) opened).store()) {
      SnapshotBackup.Result result = SnapshotBackup.take(connections.forCluster(access), source, store, location,
          snapshotTimeout);
      return succeeded(client, backup, started, location.uri(), result.stored().size(), result.stored().sha256(),
          source.member(), source.revision(), source.keys(), source.hashKv());
    } catch (SnapshotCorruptException e) {
      return failed(client, backup, started, e.getMessage() + "; nothing was stored");
    } catch (IOException | SdkException e) {
      return failed(client, backup, started, StorageFailures.explain(s3.getEndpoint(), s3.getBucket(), e));
    }
  }

  /** Starts the Job (after choosing the member), then records what it reports once it has finished. */
  private UpdateControl<EtcdBackup> toClaim(KubernetesClient client, EtcdBackup backup, EtcdCluster cluster,
      Instant started, Job job) {
    return job == null ? startJob(client, backup, cluster, started) : recordJob(client, backup, started, job);
  }

  private UpdateControl<EtcdBackup> startJob(KubernetesClient client, EtcdBackup backup, EtcdCluster cluster,
      Instant started) {
    String namespace = backup.getMetadata().getNamespace();
    PvcDestination pvc = backup.getSpec().getDestination().getPvc();
    if (client.persistentVolumeClaims().inNamespace(namespace).withName(pvc.getClaimName()).get() == null) {
      return failed(client, backup, started, "PersistentVolumeClaim " + pvc.getClaimName()
          + " (destination.pvc.claimName) does not exist in namespace " + namespace + ": create it (ReadWriteMany "
          + "lets the Job and restoring members mount it on any node), then create a new EtcdBackup");
    }
    ClusterAccess access = operatorAccess(client, cluster);
    SnapshotBackup.Source source = source(access, started);
    Job save = SnapshotJobs.save(backup, cluster, operatorImage, access, source.member(), snapshotTimeout);
    try {
      client.resource(save).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return UpdateControl.noUpdate(); // started by a pass whose Job the informer has not shown yet
      }
      throw e;
    }
    return UpdateControl.patchStatus(withStatus(backup, running(started, source, "Job " + save.getMetadata().getName()
        + " is taking the snapshot of " + source.member() + " into " + location(backup))));
  }

  private UpdateControl<EtcdBackup> recordJob(KubernetesClient client, EtcdBackup backup, Instant started, Job job) {
    String namespace = backup.getMetadata().getNamespace();
    if (!job.hasOwnerReferenceFor(backup.getMetadata().getUid())) {
      // left by an earlier EtcdBackup of the same name; its deletion brings the next pass
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      return UpdateControl.noUpdate();
    }
    var pods = client.pods().inNamespace(namespace)
        .withLabel(SnapshotJobs.BACKUP_LABEL, SnapshotJobs.backupLabel(backup))
        .withLabel(ClusterLabels.COMPONENT, SnapshotJobs.SAVE_COMPONENT).list().getItems().stream()
        .filter(pod -> pod.hasOwnerReferenceFor(job.getMetadata().getUid())).toList();
    var outcome = SnapshotJobOutcome.of(job, pods);
    if (outcome.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    if (outcome.get() instanceof Failed failure) {
      return failed(client, backup, started, failure.message()); // the Job stays for kubectl describe
    }
    var saved = ((Saved) outcome.get()).result();
    var running = backup.getStatus();
    var control = succeeded(client, backup, started, location(backup), saved.sizeBytes(), saved.sha256(),
        running.getMember(), running.getRevision(), running.getKeys(), running.getHashKv());
    client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    return control;
  }

  private UpdateControl<EtcdBackup> succeeded(KubernetesClient client, EtcdBackup backup, Instant started,
      String location, long size, String sha256, String member, Long revision, Long keys, Long hashKv) {
    String namespace = backup.getMetadata().getNamespace();
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Succeeded);
    status.setLocation(location);
    status.setSizeBytes(size);
    status.setSha256(sha256);
    status.setRevision(revision);
    status.setKeys(keys);
    status.setHashKv(hashKv);
    status.setMember(member);
    status.setStartTime(Timestamps.of(started));
    status.setCompletionTime(Timestamps.of(clock.instant()));
    status.setMessage("snapshot of " + member + " at revision " + revision + " stored in " + location);
    return record(client, backup, status, () -> {
      new ClusterEvents(client, clock).normal(backup, "BackedUp", status.getMessage() + " (" + size + " bytes)");
      log.info("{}/{}: {}", namespace, backup.getMetadata().getName(), status.getMessage());
    });
  }

  private UpdateControl<EtcdBackup> failed(KubernetesClient client, EtcdBackup backup, Instant started, String message) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Failed);
    status.setMessage(message);
    status.setStartTime(Timestamps.of(started));
    status.setCompletionTime(Timestamps.of(clock.instant()));
    return record(client, backup, status, () -> {
      new ClusterEvents(client, clock).warning(backup, "BackupFailed", message);
      log.warn("{}/{}: backup failed: {}", backup.getMetadata().getNamespace(), backup.getMetadata().getName(), message);
    });
  }

  private UpdateControl<EtcdBackup> skipped(KubernetesClient client, EtcdBackup backup, String reason) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Skipped);
    status.setMessage(reason);
    status.setCompletionTime(Timestamps.of(clock.instant()));
    return record(client, backup, status, () -> {
      new ClusterEvents(client, clock).warning(backup, "BackupSkipped", reason);
      log.warn("{}/{}: scheduled backup skipped: {}", backup.getMetadata().getNamespace(),
          backup.getMetadata().getName(), reason);
    });
  }

  /**
   * Records the final status at once (not after the pass, as an UpdateControl would): what follows,
   * such as deleting the Job, must never happen to a backup that could still look unfinished.
   */
  private UpdateControl<EtcdBackup> record(KubernetesClient client, EtcdBackup backup, EtcdBackupStatus status,
      Runnable announce) {
    client.resource(withStatus(backup, status)).patchStatus();
    BackupResult result = status.getPhase() == Phase.Succeeded ? BackupResult.SUCCESS
        : status.getPhase() == Phase.Skipped ? BackupResult.SKIPPED : BackupResult.FAILURE;
    meters.backupFinished(backup.getMetadata().getNamespace(), backup.getSpec().getClusterName(), result,
        clock.instant());
    announce.run();
    return UpdateControl.noUpdate();
  }

  /** The member to take the snapshot from: a healthy follower, the most caught up. */
  private SnapshotBackup.Source source(ClusterAccess access, Instant now) {
    EtcdConnection etcd = connections.forCluster(access);
    return SnapshotBackup.source(etcd, MemberObserver.observe(etcd, access.addresses(),
        MemberObserver.Known.etcdOnly(now), true),
        access.addresses(), snapshotTimeout);
  }

  private static String location(EtcdBackup backup) {
    return BackupKeys.uri(backup.getSpec().getDestination(), BackupKeys.of(backup));
  }

  private static EtcdBackupStatus pending(String message) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Pending);
    status.setMessage(message);
    return status;
  }

  private static EtcdBackupStatus running(Instant started, SnapshotBackup.Source source, String message) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Running);
    status.setStartTime(Timestamps.of(started));
    status.setMessage(message);
    if (source != null) {
      status.setMember(source.member());
      status.setRevision(source.revision());
      status.setKeys(source.keys());
      status.setHashKv(source.hashKv());
    }
    return status;
  }

  private static EtcdBackup withStatus(EtcdBackup backup, EtcdBackupStatus status) {
    return StatusPatches.of(backup, status, EtcdBackup::new);
  }
}
