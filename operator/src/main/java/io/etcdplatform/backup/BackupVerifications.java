package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.backup.VerifySnapshot.Report;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.kube.StatusPatches;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.metrics.FleetMeters;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore drills of Succeeded backups: one verification Job per request ({@code spec.verify},
 * or a new value of the {@value #ANNOTATION} annotation), its report recorded in
 * {@code status.verification}, the {@code Verified} condition, an Event and the meters; the Job is
 * deleted once recorded.
 */
final class BackupVerifications {

  /** On an EtcdBackup: a drill on demand; each new value asks for one more. */
  static final String ANNOTATION = EtcdBackup.VERIFY_ANNOTATION;
  /** The request of spec.verify. */
  static final String SCHEDULED = "spec.verify";
  static final String VERIFIED = "Verified";
  private static final Logger log = LoggerFactory.getLogger(BackupVerifications.class);

  private final FleetMeters meters;
  private final Duration timeout;
  private final String operatorImage;
  private final Clock clock;

  BackupVerifications(FleetMeters meters, Duration timeout, String operatorImage, Clock clock) {
    this.meters = meters;
    this.timeout = timeout;
    this.operatorImage = operatorImage;
    this.clock = clock;
  }

  /** The request a Succeeded backup has not had answered yet: the annotation's value, else spec.verify's. */
  static Optional<String> pendingRequest(EtcdBackup backup) {
    EtcdBackupStatus status = backup.getStatus();
    if (status == null || status.getPhase() != Phase.Succeeded) {
      return Optional.empty();
    }
    String annotation = Optional.ofNullable(backup.getMetadata().getAnnotations()).map(a -> a.get(ANNOTATION))
        .filter(v -> !v.isBlank()).orElse(null);
    BackupVerification last = status.getVerification();
    boolean running = last != null && last.getPhase() == BackupVerification.Phase.Running;
    if (annotation != null) {
      return last == null || running || !annotation.equals(last.getRequest()) ? Optional.of(annotation)
          : Optional.empty();
    }
    if (Boolean.TRUE.equals(backup.getSpec().getVerify())) {
      return last == null || running ? Optional.of(SCHEDULED) : Optional.empty();
    }
    return Optional.empty();
  }

  static boolean isVerification(Job job) {
    return SnapshotJobs.VERIFY_COMPONENT.equals(job.getMetadata().getLabels().get(ClusterLabels.COMPONENT));
  }

  /** One step of a Succeeded backup's drill: start it, wait for it, or record what it found. */
  void reconcile(KubernetesClient client, EtcdBackup backup, Optional<Job> job) {
    Optional<String> request = pendingRequest(backup);
    if (request.isEmpty()) {
      job.ifPresent(j -> delete(client, j)); // an answered request's Job whose deletion was lost
      return;
    }
    if (job.isEmpty()) {
      start(client, backup, request.get());
      return;
    }
    String answers = Optional.ofNullable(job.get().getMetadata().getAnnotations())
        .map(a -> a.get(SnapshotJobs.REQUEST_ANNOTATION)).orElse(null);
    if (!job.get().hasOwnerReferenceFor(backup.getMetadata().getUid()) || !request.get().equals(answers)) {
      delete(client, job.get()); // an earlier request's, or an earlier backup's: its deletion brings the next pass
      return;
    }
    var pods = client.pods().inNamespace(backup.getMetadata().getNamespace())
        .withLabel(SnapshotJobs.BACKUP_LABEL, SnapshotJobs.backupLabel(backup))
        .withLabel(ClusterLabels.COMPONENT, SnapshotJobs.VERIFY_COMPONENT).list().getItems().stream()
        .filter(pod -> pod.hasOwnerReferenceFor(job.get().getMetadata().getUid())).toList();
    Optional<Report> report = VerificationOutcome.of(job.get(), pods);
    if (report.isPresent()) {
      record(client, backup, request.get(), report.get());
      delete(client, job.get());
    }
  }

  private void start(KubernetesClient client, EtcdBackup backup, String request) {
    String namespace = backup.getMetadata().getNamespace();
    EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace)
        .withName(backup.getSpec().getClusterName()).get();
    if (cluster == null) {
      record(client, backup, request, new Report(false, "EtcdCluster " + backup.getSpec().getClusterName()
          + " does not exist: a restore drill uses its etcd release and pull secrets", null, null, null, -1));
      return;
    }
    Job verify = SnapshotJobs.verify(backup, cluster, operatorImage, request, timeout);
    try {
      client.resource(verify).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return; // started by a pass whose Job the informer has not shown yet
      }
      throw e;
    }
    BackupVerification running = new BackupVerification();
    running.setPhase(BackupVerification.Phase.Running);
    running.setRequest(request);
    running.setStartTime(Timestamps.of(clock.instant()));
    running.setMessage("Job " + verify.getMetadata().getName() + " restores the snapshot into a throwaway etcd");
    patch(client, backup, running, null);
  }

  private void record(KubernetesClient client, EtcdBackup backup, String request, Report report) {
    BackupVerification previous = backup.getStatus().getVerification();
    BackupVerification done = new BackupVerification();
    done.setPhase(report.passed() ? BackupVerification.Phase.Passed : BackupVerification.Phase.Failed);
    done.setRequest(request);
    done.setMessage(report.message());
    done.setRevision(report.revision());
    done.setKeys(report.keys());
    done.setHashKv(report.hashKv());
    done.setStartTime(previous != null && Objects.equals(previous.getRequest(), request) ? previous.getStartTime()
        : Timestamps.of(clock.instant()));
    done.setCompletionTime(Timestamps.of(clock.instant()));
    String reason = report.passed() ? "Verified" : "VerificationFailed";
    patch(client, backup, done, Conditions.of(VERIFIED, report.passed(), reason, report.message(),
        Optional.ofNullable(backup.getMetadata().getGeneration()).orElse(0L)));
    String namespace = backup.getMetadata().getNamespace();
    meters.backupVerified(namespace, backup.getSpec().getClusterName(), report.passed(), clock.instant());
    ClusterEvents events = new ClusterEvents(client, clock);
    if (report.passed()) {
      events.normal(backup, reason, report.message());
      log.info("{}/{}: verified: {}", namespace, backup.getMetadata().getName(), report.message());
    } else {
      events.warning(backup, reason, report.message());
      log.warn("{}/{}: verification failed: {}", namespace, backup.getMetadata().getName(), report.message());
    }
  }

  private void patch(KubernetesClient client, EtcdBackup backup, BackupVerification verification,
      Condition condition) {
    EtcdBackupStatus status = copy(backup.getStatus());
    status.setVerification(verification);
    if (condition != null) {
      status.setConditions(Conditions.merge(status.getConditions(), List.of(condition), clock.instant()));
    }
    client.resource(StatusPatches.of(backup, status, EtcdBackup::new)).patchStatus();
  }

  private static EtcdBackupStatus copy(EtcdBackupStatus status) {
    return Serialization.clone(status);
  }

  private static void delete(KubernetesClient client, Job job) {
    client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }
}
