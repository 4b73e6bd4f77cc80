package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.schedule.Cron;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * spec.backup of every EtcdCluster, in a controller of its own beside the cluster's: creating the
 * scheduled EtcdBackups and applying their retention (storage deletes, Jobs) never delays
 * membership work. It writes no status; the backups it creates are the record of each run.
 */
@ControllerConfiguration(name = BackupScheduleReconciler.NAME)
public class BackupScheduleReconciler implements Reconciler<EtcdCluster> {

  public static final String NAME = "etcdcluster-backup-schedule";

  private final ScheduledBackups scheduledBackups;
  private final Clock clock;

  public BackupScheduleReconciler(ScheduledBackups scheduledBackups, Clock clock) {
    this.scheduledBackups = scheduledBackups;
    this.clock = clock;
  }

  /**
   * The retention's delete Jobs are watched: a Job that finished brings the pass that deletes its
   * EtcdBackup, instead of the next scheduled run.
   */
  @Override
  public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
    var deleteJobs = InformerEventSourceConfiguration.from(Job.class, EtcdCluster.class)
        .withName("retention-jobs")
        .withLabelSelector(ClusterLabels.MANAGED_SELECTOR + "," + ClusterLabels.COMPONENT + "="
            + SnapshotJobs.DELETE_COMPONENT)
        .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(
            job.getMetadata().getLabels().get(ClusterLabels.INSTANCE), job.getMetadata().getNamespace())))
        .withNamespacesInheritedFromController()
        .build();
    return List.of(new InformerEventSource<>(deleteJobs, context));
  }

  /** Paused clusters take no backups; a schedule cron-utils refuses is the cluster's InvalidSpec condition. */
  @Override
  public UpdateControl<EtcdCluster> reconcile(EtcdCluster cluster, Context<EtcdCluster> context) {
    var schedule = cluster.getSpec().getBackup();
    if (schedule == null || Boolean.TRUE.equals(cluster.getSpec().getPaused())
        || !Cron.isValid(schedule.getSchedule())) {
      return UpdateControl.noUpdate();
    }
    return scheduledBackups.reconcile(cluster, context.getClient(), clock.instant())
        .map(untilNext -> UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(untilNext.plus(Duration.ofSeconds(1))))
        .orElseGet(UpdateControl::noUpdate);
  }
}
