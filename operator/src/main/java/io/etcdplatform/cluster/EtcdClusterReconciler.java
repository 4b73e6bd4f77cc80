package io.etcdplatform.cluster;

import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.kube.KubernetesMemberAddresses;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.cluster.dependents.BootstrapConfigMapDependent;
import io.etcdplatform.cluster.dependents.ClientServiceDependent;
import io.etcdplatform.cluster.dependents.OwnedObjectWrites;
import io.etcdplatform.cluster.dependents.PeerServiceDependent;
import io.etcdplatform.cluster.dependents.PodDisruptionBudgetDependent;
import io.etcdplatform.cluster.dependents.PodDisruptionBudgetEnabled;
import io.etcdplatform.cluster.dependents.StatefulSetDependent;
import io.etcdplatform.cluster.StorageExpansion.StorageExpansionException;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.backup.RestoreSource;
import io.etcdplatform.backup.ScheduledBackups;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.health.EtcdHealthProbe;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.health.HealthObserver;
import io.etcdplatform.health.HealthProbe;

import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.MemberObserver;
import io.etcdplatform.members.MembershipExecutor;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.members.Planner;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.members.Step;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one EtcdCluster: validate, observe the members, plan and carry out one membership
 * step, apply the desired objects (sized by the membership), report status, reschedule. The
 * workflow is invoked explicitly so that a paused cluster, a refused spec or a lost quorum
 * changes nothing.
 */
@ControllerConfiguration(name = EtcdClusterReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "bootstrap", type = BootstrapConfigMapDependent.class),
    @Dependent(name = "peer-service", type = PeerServiceDependent.class),
    @Dependent(name = "client-service", type = ClientServiceDependent.class),
    @Dependent(name = "statefulset", type = StatefulSetDependent.class, dependsOn = {"bootstrap", "peer-service"}),
    @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class,
        reconcilePrecondition = PodDisruptionBudgetEnabled.class),
})
public class EtcdClusterReconciler implements Reconciler<EtcdCluster> {

  public static final String NAME = "etcdcluster";
  private static final Logger log = LoggerFactory.getLogger(EtcdClusterReconciler.class);

  private final OperatorConfig config;
  private final OwnedObjectWrites writes;
  private final EtcdConnections connections;
  private final Planner planner;
  private final FleetMeters fleetMeters;
  private final ClusterMaintenance maintenance;
  private final ScheduledBackups scheduledBackups;
  private final MemberMetricsReader metricsReader;
  private final Map<String, Instant> lastConsistencyCheck = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile IndexerResourceCache<EtcdCluster> primaryCache;

  public EtcdClusterReconciler(OperatorConfig config, MeterRegistry registry, FleetMeters fleetMeters,
      EtcdConnections connections, Clock clock) {
    this.config = config;
    this.writes = new OwnedObjectWrites(registry);
    this.connections = connections;
    this.planner = new Planner(new PlannerSettings(config.failedMemberGrace(), config.learnerStartTimeout(),
        PlannerSettings.DEFAULTS.maxRaftLag()));
    this.fleetMeters = fleetMeters;
    this.maintenance = new ClusterMaintenance(new MaintenancePlanner(PlannerSettings.DEFAULTS.maxRaftLag()),
        fleetMeters, clock);
    this.metricsReader = new MemberMetricsReader(config.etcdRequestTimeout());
    this.scheduledBackups = new ScheduledBackups(config.storageRequestTimeout(), config.operatorImage());
    this.clock = clock;
  }

  /**
   * Forgets the clusters that no longer exist (their meters, their consistency schedule): a
   * cluster's deletion reaches no reconcile, so Main calls this periodically.
   */
  public void forgetDeletedClusters() {
    if (primaryCache == null) {
      return;
    }
    Set<String> existing = primaryCache.list().map(EtcdClusterReconciler::key).collect(Collectors.toSet());
    fleetMeters.retainOnly(existing);
    lastConsistencyCheck.keySet().retainAll(existing);
  }

  /** Member pods are watched too (they belong to the StatefulSet, so they map to a cluster by label). */
  @Override
  public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
    primaryCache = context.getPrimaryCache();
    var pods = InformerEventSourceConfiguration.from(Pod.class, EtcdCluster.class)
        .withName("member-pods")
        .withLabelSelector(ClusterLabels.MANAGED_SELECTOR + "," + ClusterLabels.COMPONENT + "=" + DesiredStatefulSet.COMPONENT)
        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
            pod.getMetadata().getLabels().get(ClusterLabels.INSTANCE), pod.getMetadata().getNamespace())))
        .withNamespacesInheritedFromController()
        .build();
    return List.of(new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<EtcdCluster> reconcile(EtcdCluster cluster, Context<EtcdCluster> context) {
    if (Boolean.TRUE.equals(cluster.getSpec().getPaused())) {
      return report(cluster, ClusterStatusCalculator.notActedOn(cluster, Phase.Paused, "Paused",
          "spec.paused is true: the operator takes no action; set it to false to resume", clock.instant()));
    }
    List<String> problems = SpecValidator.validate(cluster);
    if (!problems.isEmpty()) {
      log.warn("{}/{}: spec refused, no action taken: {}", cluster.getMetadata().getNamespace(),
          cluster.getMetadata().getName(), problems);
      return report(cluster, ClusterStatusCalculator.notActedOn(cluster, Phase.Invalid, "InvalidSpec",
          String.join("; ", problems), clock.instant()));
    }

    Optional<RestoreSource> restore;
    try {
      restore = RestoreSource.of(cluster, context.getClient());
    } catch (IllegalStateException e) {
      return report(cluster, ClusterStatusCalculator.notActedOn(cluster, Phase.Pending, "WaitingForBackup",
          e.getMessage(), clock.instant()));
    }
    var statefulSet = context.getSecondaryResource(StatefulSet.class);
    if (StorageExpansion.isPending(cluster, statefulSet)) {
      try {
        StorageExpansion.expand(cluster, context.getClient());
      } catch (StorageExpansionException e) {
        return report(cluster, ClusterStatusCalculator.notActedOn(cluster, currentPhase(cluster),
            "StorageExpansionFailed", e.getMessage(), clock.instant()));
      }
      return report(cluster, ClusterStatusCalculator.busyWith(cluster, "ExpandingStorage",
          "claims expanded to " + cluster.getSpec().getStorage().getSize() + "; the StatefulSet is being re-created",
          clock.instant()));
    }

    var addresses = new KubernetesMemberAddresses(cluster);
    var pods = MemberPodStates.of(cluster, context.getSecondaryResources(Pod.class), statefulSet);
    var etcd = connections.forCluster(key(cluster), endpoints(cluster, statefulSet, addresses));
    var observation = MemberObserver.observe(etcd, addresses, pods, formedBefore(cluster), clock.instant());
    if (!observation.reachable()) {
      // a client whose name resolution or connections failed backs off for up to minutes (jetcd
      // #1616): start the next pass with a fresh one
      connections.close(key(cluster));
    }
    int desired = cluster.getSpec().getReplicas();
    Step planned = planner.next(desired, observation, addresses::name);
    ClusterHealth health = observeHealth(cluster, observation, new EtcdHealthProbe(etcd, metricsReader, addresses),
        planned instanceof Step.Steady);
    Step step = act(cluster, context, planned, observation, etcd, addresses);

    var layout = MembershipLayout.of(desired, observation, addresses);
    if (layout.isPresent()) {
      var workflow = context.managedWorkflowAndDependentResourceContext();
      workflow.put(DesiredObjects.CONTEXT_KEY, DesiredObjects.of(cluster, config.etcdImageRepository(), statefulSet,
          layout.get(), restore.map(r -> DesiredRestoreContainer.build(cluster, config.operatorImage(), r))));
      workflow.put(OwnedObjectWrites.CONTEXT_KEY, writes);
      workflow.reconcileManagedWorkflow();
    }
    EtcdClusterStatus status = ClusterStatusCalculator.observed(cluster, observation, step, clock.instant());
    if (restore.isPresent() && !observation.reachable()) {
      var refused = DesiredRestoreContainer.failure(context.getSecondaryResources(Pod.class));
      if (refused.isPresent()) {
        if (cluster.getStatus() == null
            || !Conditions.isFalse(cluster.getStatus().getConditions(), Conditions.PROGRESSING, "RestoreFailed")) {
          ClusterEvents.warning(context.getClient(), cluster, "RestoreFailed", refused.get());
        }
        status = ClusterStatusCalculator.notActedOn(cluster, Phase.Pending, "RestoreFailed", "restoring "
            + restore.get().name() + " failed, nothing was restored: " + refused.get(), clock.instant());
      }
    }
    if (health.consistency().isPresent()) {
      Consistency consistency = health.consistency().get();
      if (consistency.verdict() == Consistency.Verdict.INCONSISTENT && !isInconsistent(cluster)) {
        ClusterEvents.warning(context.getClient(), cluster, "Inconsistent", consistency.message());
      }
      status = ClusterStatusCalculator.withConsistency(status, consistency, clock.instant());
    }
    boolean busy = false;
    if (step instanceof Step.Steady) {
      var maintained = maintenance.maintain(cluster, context.getClient(), observation, health, etcd, addresses, status);
      status = maintained.status();
      busy = maintained.busy();
    }
    Optional<Duration> untilNextBackup = scheduledBackups.reconcile(cluster, context.getClient(), clock.instant());
    return report(cluster, status, busy, untilNextBackup);
  }

  /**
   * Health beyond the membership (alarms, members' own metrics and, on a steady cluster at the
   * consistency interval, their KV hashes) into the fleet's meters.
   */
  private ClusterHealth observeHealth(EtcdCluster cluster, ClusterObservation observation, HealthProbe probe,
      boolean steady) {
    String key = key(cluster);
    Instant now = clock.instant();
    Instant last = lastConsistencyCheck.get(key);
    boolean checkConsistency = steady && (last == null || !now.isBefore(last.plus(config.consistencyCheckInterval())));
    Timer.Sample sample = Timer.start();
    ClusterHealth health = HealthObserver.observe(observation, probe, checkConsistency);
    sample.stop(fleetMeters.observationTimer());
    if (health.consistency().isPresent()) {
      lastConsistencyCheck.put(key, now);
    }
    fleetMeters.record(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(),
        cluster.getSpec().getReplicas(), health);
    return health;
  }

  /** Carries out an action step and records it; returns the step to report. */
  private Step act(EtcdCluster cluster, Context<EtcdCluster> context, Step step, ClusterObservation observation,
      EtcdConnection etcd, KubernetesMemberAddresses addresses) {
    if (step instanceof Step.QuorumLost && !wasQuorumLost(cluster)) {
      ClusterEvents.warning(context.getClient(), cluster, "QuorumLost", step.reason());
    }
    if (!(step instanceof Step.Action)) {
      return step;
    }
    try {
      new MembershipExecutor(addresses, new KubernetesMemberPods(cluster, context.getClient()))
          .execute(step, observation, etcd);
      ClusterEvents.normal(context.getClient(), cluster, ClusterStatusCalculator.kind(step), step.reason());
      return step;
    } catch (EtcdUnavailableException e) {
      return new Step.Wait(step.reason() + " was refused for now, retrying: " + e.getMessage());
    }
  }

  /** The client URLs of the members the StatefulSet runs (or will run). */
  private static List<String> endpoints(EtcdCluster cluster, Optional<StatefulSet> statefulSet,
      KubernetesMemberAddresses addresses) {
    int pods = statefulSet.map(sts -> sts.getSpec().getReplicas()).orElse(cluster.getSpec().getReplicas());
    return IntStream.range(0, Math.max(pods, 1)).mapToObj(i -> addresses.clientUrl(addresses.name(i))).toList();
  }

  private static boolean formedBefore(EtcdCluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
  }

  private static boolean isInconsistent(EtcdCluster cluster) {
    var consistent = cluster.getStatus() == null ? null
        : Conditions.find(cluster.getStatus().getConditions(), Conditions.CONSISTENT);
    return consistent != null && "False".equals(consistent.getStatus());
  }

  /** The Event is sent once, when the quorum is first found lost. */
  private static boolean wasQuorumLost(EtcdCluster cluster) {
    var degraded = cluster.getStatus() == null ? null
        : Conditions.find(cluster.getStatus().getConditions(), Conditions.DEGRADED);
    return degraded != null && "QuorumLost".equals(degraded.getReason());
  }

  private static String key(EtcdCluster cluster) {
    return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
  }

  private static Phase currentPhase(EtcdCluster cluster) {
    return cluster.getStatus() == null || cluster.getStatus().getPhase() == null
        ? Phase.Pending : cluster.getStatus().getPhase();
  }

  /**
   * Patches the status only when it changed, and reschedules: soon while progressing, at the health
   * interval when settled or when waiting for a person (paused, refused spec).
   */
  private UpdateControl<EtcdCluster> report(EtcdCluster cluster, EtcdClusterStatus status) {
    return report(cluster, status, false, Optional.empty());
  }

  /**
   * {@code soon}: maintenance is under way, look again at the progress interval; and never later
   * than the next scheduled backup.
   */
  private UpdateControl<EtcdCluster> report(EtcdCluster cluster, EtcdClusterStatus status, boolean soon,
      Optional<Duration> untilNextBackup) {
    Duration interval = soon || Conditions.isTrue(status.getConditions(), Conditions.PROGRESSING)
        ? config.progressInterval() : config.healthInterval();
    if (untilNextBackup.isPresent() && untilNextBackup.get().plusSeconds(1).compareTo(interval) < 0) {
      interval = untilNextBackup.get().plusSeconds(1);
    }
    UpdateControl<EtcdCluster> control;
    if (sameAs(cluster.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      EtcdCluster patch = new EtcdCluster();
      patch.setMetadata(new ObjectMetaBuilder()
          .withName(cluster.getMetadata().getName())
          .withNamespace(cluster.getMetadata().getNamespace())
          .build());
      patch.setSpec(null);
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    return control.rescheduleAfter(interval);
  }

  private static boolean sameAs(EtcdClusterStatus current, EtcdClusterStatus next) {
    var mapper = Serialization.jsonMapper();
    return current != null && Objects.equals(mapper.valueToTree(current), mapper.valueToTree(next));
  }
}
