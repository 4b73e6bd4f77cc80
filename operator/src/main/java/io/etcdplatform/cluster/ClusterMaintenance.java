package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.MaintenanceSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.maintenance.ClientEndpointRule;
import io.etcdplatform.maintenance.MaintenanceExecutor;
import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.maintenance.MaintenanceResult;
import io.etcdplatform.maintenance.MaintenanceStep;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.observation.ClusterObservation;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maintain: one maintenance step on a settled cluster, planned, carried out and recorded as an
 * Event and in the meters, with the status and conditions it leaves (SpaceAvailable, and
 * Consistent=False on a CORRUPT alarm). The same shape as the membership stage.
 */
final class ClusterMaintenance {

  static final String DEFRAGMENT_ANNOTATION = EtcdCluster.DEFRAGMENT_ANNOTATION;
  static final String SPACE_AVAILABLE = "SpaceAvailable";
  static final String TRANSPARENT_DEFRAGMENTATION = "TransparentDefragmentation";
  private static final long GiB = 1024L * 1024 * 1024;
  private static final long DEFAULT_QUOTA = 2 * GiB;

  private final MaintenancePlanner planner;
  private final FleetMeters meters;
  private final Clock clock;
  private final long maxRaftLag;

  private final PlannedLeaderMoves plannedMoves;

  ClusterMaintenance(MaintenancePlanner planner, FleetMeters meters, Clock clock, long maxRaftLag) {
    this(planner, meters, clock, maxRaftLag, new PlannedLeaderMoves());
  }

  ClusterMaintenance(MaintenancePlanner planner, FleetMeters meters, Clock clock, long maxRaftLag,
      PlannedLeaderMoves plannedMoves) {
    this.plannedMoves = plannedMoves;
    this.planner = planner;
    this.meters = meters;
    this.clock = clock;
    this.maxRaftLag = maxRaftLag;
  }

  /**
   * Every pass, whatever the membership step: members out of the client endpoints that are healthy
   * and caught up again come back (also those a killed operator held out).
   */
  void giveBackClientEndpoints(ClusterPass pass, Observed observed) {
    var endpoints = new KubernetesClientEndpoints(pass.cluster(), pass.client());
    for (String member : ClientEndpointRule.toGiveBack(observed.observation(), maxRaftLag)) {
      endpoints.giveBack(member);
      pass.events().normal(pass.cluster(), "ClientEndpointRestored",
          member + " is healthy and caught up: back in the client Service's endpoints");
    }
  }

  /** The maintenance status and conditions to report; {@code busy} asks for the next pass soon. */
  record Outcome(MaintenanceStatus status, List<Condition> conditions, boolean busy) {}

  Outcome maintain(ClusterPass pass, Observed observed, ClusterHealth health) {
    EtcdCluster cluster = pass.cluster();
    MaintenanceStatus previous = cluster.getStatus() == null ? null : cluster.getStatus().getMaintenance();
    long quota = quota(cluster);
    var plan = planner.next(new MaintenancePlanner.Input(spec(cluster).getCompaction(),
        spec(cluster).getDefragmentation(), cluster.getSpec().getEtcd().getAutoCompaction() != null, quota,
        observed.observation(), health.alarms(), previous, annotation(cluster), pass.now(),
        pass.snapshots().reasonToWait()));
    MaintenanceStep step = plan.step();
    warnOnNewAlarms(pass, previous, health.alarms());
    MaintenanceStatus next = plan.status();
    next.setMessage(step.reason());
    if (step instanceof MaintenanceStep.Action action) {
      next = act(pass, observed, action, next);
    }
    if (next.getLastCompaction() != null) {
      meters.lastCompaction(pass.namespace(), pass.name(), Instant.parse(next.getLastCompaction().getTime()),
          next.getLastCompaction().getRevision());
    }
    List<Condition> conditions = new ArrayList<>(List.of(
        spaceCondition(observed.observation(), health.alarms(), quota, step, generation(cluster))));
    corruptCondition(health.alarms(), generation(cluster)).ifPresent(conditions::add);
    conditions.add(transparencyCondition(observed.observation(), generation(cluster)));
    return new Outcome(next, conditions, step instanceof MaintenanceStep.Action || next.getRound() != null);
  }

  /** Carries out the action; returns the status that records it (or its failure, to be retried). */
  private MaintenanceStatus act(ClusterPass pass, Observed observed, MaintenanceStep.Action action,
      MaintenanceStatus status) {
    try {
      MaintenanceResult result = new MaintenanceExecutor(observed.access().addresses(),
          new KubernetesClientEndpoints(pass.cluster(), pass.client()), clock).execute(action,
          observed.observation(), observed.etcd(), memberTimeout(pass.cluster()));
      pass.events().normal(pass.cluster(), action.eventReason(), action.reason());
      if (action instanceof MaintenanceStep.MoveLeader move) {
        plannedMoves.record(observed.access().key(), move.from(), move.to(), clock.instant());
      }
      meters.maintenanceOperation(pass.namespace(), pass.name(), action.operation(), true);
      if (result instanceof MaintenanceResult.Defragmented done) {
        meters.defragmented(pass.namespace(), pass.name(), Instant.parse(done.defragmentation().getTime()),
            Duration.ofMillis(done.defragmentation().getDurationMillis()));
      }
      return result.recordedIn(status);
    } catch (EtcdUnavailableException e) {
      status.setMessage(action.reason() + ": failed, retrying: " + e.getMessage());
      pass.events().warning(pass.cluster(), "MaintenanceFailed", status.getMessage());
      meters.maintenanceOperation(pass.namespace(), pass.name(), action.operation(), false);
      return status;
    }
  }

  /**
   * True while every member's data fits its quota comfortably; False during a NOSPACE alarm, and
   * when the data in use is 90% of the quota or more (a defragmentation cannot help: the quota
   * must grow).
   */
  static Condition spaceCondition(ClusterObservation observation, List<Alarm> alarms, long quota, MaintenanceStep step,
      long generation) {
    List<String> noSpace = membersWith(alarms, Alarm.Kind.NOSPACE);
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

  /**
   * True when clients need not feel a defragmentation: three voters or more, so the member being
   * defragmented is out of the client endpoints and does not lead while the others serve.
   */
  static Condition transparencyCondition(ClusterObservation observation, long generation) {
    return ClientEndpointRule.felt(observation)
        .map(why -> Conditions.of(TRANSPARENT_DEFRAGMENTATION, false, "TooFewMembers", why, generation))
        .orElseGet(() -> Conditions.of(TRANSPARENT_DEFRAGMENTATION, true, "OthersServe", "a member leaves the client "
            + "Service's endpoints, and leadership, before it is defragmented; the others serve meanwhile",
            generation));
  }

  /** A CORRUPT alarm is etcd's own finding that members' data differ: Consistent=False, until a person disarms it. */
  static Optional<Condition> corruptCondition(List<Alarm> alarms, long generation) {
    List<String> corrupt = membersWith(alarms, Alarm.Kind.CORRUPT);
    return corrupt.isEmpty() ? Optional.empty() : Optional.of(Conditions.of(Conditions.CONSISTENT,
        false, "CorruptAlarm", "etcd raised a CORRUPT alarm on " + String.join(", ", corrupt) + ": the members' data "
            + "may differ; maintenance is stopped and the alarm is never disarmed automatically (docs/alerts.md)",
        generation));
  }

  private static void warnOnNewAlarms(ClusterPass pass, MaintenanceStatus previous, List<Alarm> alarms) {
    List<String> before = previous == null || previous.getAlarms() == null ? List.of() : previous.getAlarms();
    for (Alarm alarm : alarms) {
      if (before.contains(alarm.toString())) {
        continue;
      }
      boolean corrupt = alarm.kind() == Alarm.Kind.CORRUPT;
      pass.events().warning(pass.cluster(), corrupt ? "CorruptAlarm" : "NoSpaceAlarm", alarm + (corrupt
          ? ": the members' data may differ; never disarmed automatically, see docs/alerts.md"
          : ": etcd refuses writes; recovering (compact, defragment every member, disarm)"));
    }
  }

  private static List<String> membersWith(List<Alarm> alarms, Alarm.Kind kind) {
    return alarms.stream().filter(a -> a.kind() == kind).map(Alarm::member).sorted().toList();
  }

  private static MaintenanceSpec spec(EtcdCluster cluster) {
    return cluster.getSpec().getMaintenance() == null ? new MaintenanceSpec() : cluster.getSpec().getMaintenance();
  }

  private static Duration memberTimeout(EtcdCluster cluster) {
    return Duration.ofSeconds(spec(cluster).getDefragmentation().getMemberTimeoutSeconds());
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
