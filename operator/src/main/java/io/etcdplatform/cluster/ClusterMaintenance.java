package io.etcdplatform.cluster;

import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.Conditions;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.maintenance.MaintenanceExecutor;
import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.maintenance.MaintenancePlanner.Alarm;
import io.etcdplatform.maintenance.MaintenanceStep;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.etcd.MemberAddresses;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pass of maintenance on a settled cluster: plan, carry out the step, record it in the status,
 * the SpaceAvailable condition and Events.
 */
final class ClusterMaintenance {

  static final String DEFRAGMENT_ANNOTATION = "etcdplatform.io/defragment";
  static final String SPACE_AVAILABLE = "SpaceAvailable";
  private static final long GiB = 1024L * 1024 * 1024;
  private static final long DEFAULT_QUOTA = 2 * GiB;

  private final MaintenancePlanner planner;
  private final FleetMeters meters;
  private final Clock clock;

  ClusterMaintenance(MaintenancePlanner planner, FleetMeters meters, Clock clock) {
    this.planner = planner;
    this.meters = meters;
    this.clock = clock;
  }

  /** The status with maintenance recorded; {@code busy} asks for the next pass soon. */
  record Outcome(EtcdClusterStatus status, boolean busy) {}

  Outcome maintain(EtcdCluster cluster, KubernetesClient client, ClusterObservation observation, ClusterHealth health,
      EtcdConnection etcd, MemberAddresses addresses, EtcdClusterStatus status) {
    MaintenanceSpec spec = cluster.getSpec().getMaintenance() == null ? new MaintenanceSpec()
        : cluster.getSpec().getMaintenance();
    MaintenanceStatus previous = cluster.getStatus() == null ? null : cluster.getStatus().getMaintenance();
    List<Alarm> alarms = health.alarms().stream().map(a -> new Alarm(a.member(), a.type())).toList();
    long quota = quota(cluster);
    var plan = planner.next(new MaintenancePlanner.Input(spec.getCompaction(), spec.getDefragmentation(),
        cluster.getSpec().getEtcd().getAutoCompaction() != null, quota, observation, alarms, previous,
        annotation(cluster), clock.instant()));
    MaintenanceStep step = plan.step();
    MaintenanceStatus next = plan.status();
    warnOnNewAlarms(client, cluster, previous, alarms);
    boolean action = step instanceof MaintenanceStep.Compact || step instanceof MaintenanceStep.Defragment
        || step instanceof MaintenanceStep.DisarmNoSpace;
    next.setMessage(step.reason());
    String namespace = cluster.getMetadata().getNamespace();
    String name = cluster.getMetadata().getName();
    if (action) {
      Instant started = clock.instant();
      try {
        next = new MaintenanceExecutor(addresses, clock).execute(step, observation, alarms, etcd, next,
            Duration.ofSeconds(spec.getDefragmentation().getMemberTimeoutSeconds()));
        ClusterEvents.normal(client, cluster, eventReason(step), step.reason());
        meters.maintenanceOperation(namespace, name, operation(step), true);
        if (step instanceof MaintenanceStep.Defragment) {
          meters.defragmented(namespace, name, clock.instant(), Duration.between(started, clock.instant()));
        }
      } catch (EtcdUnavailableException e) {
        next.setMessage(step.reason() + ": failed, retrying: " + e.getMessage());
        ClusterEvents.warning(client, cluster, "MaintenanceFailed", next.getMessage());
        meters.maintenanceOperation(namespace, name, operation(step), false);
      }
    }
    if (next.getLastCompaction() != null) {
      meters.lastCompaction(namespace, name, Instant.parse(next.getLastCompaction().getTime()),
          next.getLastCompaction().getRevision());
    }
    EtcdClusterStatus result = ClusterStatusCalculator.copyOf(status);
    result.setMaintenance(next);
    List<Condition> conditions = new ArrayList<>(
        List.of(spaceCondition(observation, alarms, quota, step, generation(cluster))));
    corruptCondition(alarms, generation(cluster)).ifPresent(conditions::add);
    result.setConditions(Conditions.merge(status.getConditions(), conditions, clock.instant()));
    return new Outcome(result, action || next.getRound() != null);
  }

  /**
   * True while every member's data fits its quota comfortably; False during a NOSPACE alarm, and
   * when the data in use is 90% of the quota or more (a defragmentation cannot help: the quota
   * must grow).
   */
  static Condition spaceCondition(ClusterObservation observation, List<Alarm> alarms, long quota, MaintenanceStep step,
      long generation) {
    List<String> noSpace = alarms.stream().filter(a -> MaintenancePlanner.NOSPACE.equals(a.type()))
        .map(Alarm::member).sorted().toList();
    if (!noSpace.isEmpty()) {
      return Conditions.of(SPACE_AVAILABLE, false, "NoSpaceAlarm", "NOSPACE on " + String.join(", ", noSpace)
          + ": etcd refuses writes until space is reclaimed; " + step.reason(), generation);
    }
    long inUse = observation.members().stream().filter(m -> m.stats() != null)
        .mapToLong(m -> m.stats().dbSizeInUse()).max().orElse(0);
    if (inUse * 10 >= quota * 9) {
      long suggested = Math.min(8 * GiB, ((inUse * 3 / 2) / (256L << 20) + 1) * (256L << 20));
      return Conditions.of(SPACE_AVAILABLE, false, "QuotaTooSmall", String.format(
          "the data in use (%d MiB) is %d%% of the quota (%d MiB) even after compaction and defragmentation: raise "
              + "spec.etcd.quotaBackendBytes to %d (%d MiB) or delete data", inUse >> 20, inUse * 100 / quota,
          quota >> 20, suggested, suggested >> 20), generation);
    }
    return Conditions.of(SPACE_AVAILABLE, true, "WithinQuota",
        "the largest data in use is " + inUse * 100 / quota + "% of the quota", generation);
  }

  /** A CORRUPT alarm is etcd's own finding that members' data differ: Consistent=False, until a person disarms it. */
  static Optional<Condition> corruptCondition(List<Alarm> alarms, long generation) {
    List<String> corrupt = alarms.stream().filter(a -> MaintenancePlanner.CORRUPT.equals(a.type()))
        .map(Alarm::member).sorted().toList();
    return corrupt.isEmpty() ? Optional.empty() : Optional.of(Conditions.of(Conditions.CONSISTENT,
        false, "CorruptAlarm", "etcd raised a CORRUPT alarm on " + String.join(", ", corrupt) + ": the members' data "
            + "may differ; maintenance is stopped and the alarm is never disarmed automatically (docs/alerts.md)",
        generation));
  }

  private static void warnOnNewAlarms(KubernetesClient client, EtcdCluster cluster, MaintenanceStatus previous,
      List<Alarm> alarms) {
    List<String> before = previous == null || previous.getAlarms() == null ? List.of() : previous.getAlarms();
    for (Alarm alarm : alarms) {
      String text = alarm.type() + " on " + alarm.member();
      if (!before.contains(text)) {
        ClusterEvents.warning(client, cluster, MaintenancePlanner.CORRUPT.equals(alarm.type()) ? "CorruptAlarm"
            : "NoSpaceAlarm", text + (MaintenancePlanner.CORRUPT.equals(alarm.type())
            ? ": the members' data may differ; never disarmed automatically, see docs/alerts.md"
            : ": etcd refuses writes; recovering (compact, defragment every member, disarm)"));
      }
    }
  }

  private static String operation(MaintenanceStep step) {
    return step instanceof MaintenanceStep.Compact ? "compact"
        : step instanceof MaintenanceStep.Defragment ? "defragment" : "disarm";
  }

  private static String eventReason(MaintenanceStep step) {
    return step instanceof MaintenanceStep.Compact ? "Compacted"
        : step instanceof MaintenanceStep.Defragment ? "Defragmented" : "NoSpaceAlarmDisarmed";
  }

  private static String annotation(EtcdCluster cluster) {
    var annotations = cluster.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DEFRAGMENT_ANNOTATION);
  }

  private static long quota(EtcdCluster cluster) {
    Long quota = cluster.getSpec().getEtcd().getQuotaBackendBytes();
    return quota == null || quota == 0 ? DEFAULT_QUOTA : quota;
  }

  private static long generation(EtcdCluster cluster) {
    return cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
  }
}
