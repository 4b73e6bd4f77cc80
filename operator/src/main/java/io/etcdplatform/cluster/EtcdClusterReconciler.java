package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.auth.ClusterAuth;
import io.etcdplatform.cluster.Gates.Gate;
import io.etcdplatform.cluster.PassResult.ApplyFailure;
import io.etcdplatform.cluster.PassResult.RestoreFailure;
import io.etcdplatform.tls.TlsSecrets;
import io.etcdplatform.cluster.dependents.BootstrapConfigMapDependent;
import io.etcdplatform.cluster.dependents.ClientServiceDependent;
import io.etcdplatform.cluster.dependents.OwnedObjectWrites;
import io.etcdplatform.cluster.dependents.NetworkPolicyDependent;
import io.etcdplatform.cluster.dependents.NetworkPolicyWanted;
import io.etcdplatform.cluster.dependents.PeerServiceDependent;
import io.etcdplatform.cluster.dependents.PodDisruptionBudgetDependent;
import io.etcdplatform.cluster.dependents.PodDisruptionBudgetEnabled;
import io.etcdplatform.cluster.dependents.StatefulSetDependent;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.kube.ClusterEvents;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.kube.KubernetesAccess;
import io.etcdplatform.kube.OperatorCredentials;
import io.etcdplatform.kube.StatusPatches;
import io.etcdplatform.maintenance.MaintenancePlanner;
import io.etcdplatform.members.MembershipCycle;
import io.etcdplatform.members.Planner;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.members.Step;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.metrics.MemberMetricsReader;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass over one EtcdCluster, as a pipeline of named stages: gate, observe, plan, act, apply the
 * owned objects, maintain, status, reschedule. The workflow is invoked explicitly so that a
 * paused cluster, a refused spec or a lost quorum changes nothing, and its errors come back to the
 * pass (an object the API server refuses is a condition and an Event, not a retried exception).
 * Backup schedules have a controller of their own ({@code BackupScheduleReconciler}), so a slow
 * bucket never delays this one.
 */
@ControllerConfiguration(name = EtcdClusterReconciler.NAME)
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "bootstrap", type = BootstrapConfigMapDependent.class),
    @Dependent(name = "peer-service", type = PeerServiceDependent.class),
    @Dependent(name = "client-service", type = ClientServiceDependent.class),
    @Dependent(name = "statefulset", type = StatefulSetDependent.class, dependsOn = {"bootstrap", "peer-service"}),
    @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class,
        reconcilePrecondition = PodDisruptionBudgetEnabled.class),
    @Dependent(name = "network-policy", type = NetworkPolicyDependent.class,
        reconcilePrecondition = NetworkPolicyWanted.class),
})
public class EtcdClusterReconciler implements Reconciler<EtcdCluster> {

  public static final String NAME = "etcdcluster";

  private final Gates gates = new Gates();
  private final ClusterObserver observer;
  private final MembershipStage membership;
  private final HealthStage health;
  private final OwnedObjects ownedObjects;
  private final ClusterMaintenance maintenance;
  private final KeyspaceStage keyspaceStage;
  private final QuorumWatch quorumWatch;
  private final PlannedLeaderMoves plannedMoves = new PlannedLeaderMoves();
  private final MetricsAtLastPass metricsAtLastPass = new MetricsAtLastPass();
  private final FleetMeters fleetMeters;
  private final Duration progressInterval;
  private final Duration healthInterval;
  private final Clock clock;
  private volatile IndexerResourceCache<EtcdCluster> primaryCache;

  public EtcdClusterReconciler(OperatorConfig config, MeterRegistry registry, FleetMeters fleetMeters,
      EtcdConnections connections, Clock clock) {
    long maxRaftLag = PlannerSettings.DEFAULTS.maxRaftLag();
    this.observer = new ClusterObserver(connections);
    this.membership = new MembershipStage(new MembershipCycle(new Planner(new PlannerSettings(
        config.failedMemberGrace(), config.learnerStartTimeout(), maxRaftLag))));
    this.health = new HealthStage(fleetMeters, new MemberMetricsReader(config.etcdRequestTimeout()),
        config.consistencyCheckInterval());
    this.ownedObjects = new OwnedObjects(config.etcdImageRepository(), config.operatorImage(),
        new OwnedObjectWrites(registry), config.networkPolicyDefaults());
    this.maintenance = new ClusterMaintenance(new MaintenancePlanner(maxRaftLag), fleetMeters, clock,
        maxRaftLag, plannedMoves);
    this.keyspaceStage = new KeyspaceStage(fleetMeters, clock);
    this.quorumWatch = new QuorumWatch(connections, config.quorumCheckInterval(), config.etcdRequestTimeout());
    this.fleetMeters = fleetMeters;
    this.progressInterval = config.progressInterval();
    this.healthInterval = config.healthInterval();
    this.clock = clock;
  }

  @Override
  public UpdateControl<EtcdCluster> reconcile(EtcdCluster cluster, Context<EtcdCluster> context) {
    var pass = new ClusterPass(cluster, context, new ClusterEvents(context.getClient(), clock), clock.instant());
    Gate gate = gates.check(pass);
    if (gate instanceof Gates.Closed closed) {
      quorumWatch.forget(ResourceID.fromResource(cluster));
      return reschedule(cluster, closed.status(), false);
    }
    Gates.Open open = (Gates.Open) gate;
    Optional<RestoreSource> restore = open.restore();
    Observed observed = observer.observe(pass, open.tls(), OperatorCredentials.of(cluster, pass.client()));
    if (observed.credentialRefused().isPresent()) {
      return refuseCredential(pass, observed);
    }
    quorumWatch.watch(ResourceID.fromResource(cluster), observed.access(), observed.observation());
    maintenance.giveBackClientEndpoints(pass, observed);
    Step planned = membership.plan(pass, observed);
    ClusterHealth clusterHealth = health.observe(pass, observed, planned instanceof Step.Steady);
    Step step = membership.act(pass, observed, planned);
    if (step instanceof Step.MoveLeader move) {
      plannedMoves.record(observed.access().key(), move.from(), move.to(), pass.now());
    }
    Optional<ApplyFailure> applyFailure = ownedObjects.apply(pass, observed, restore,
        open.secrets().map(TlsSecrets.Outcome::trust));
    Optional<ClusterMaintenance.Outcome> maintained = step instanceof Step.Steady
        ? Optional.of(maintenance.maintain(pass, observed, clusterHealth)) : Optional.empty();
    Optional<KeyspaceStatus> keyspace = step instanceof Step.Steady && !maintained.get().busy()
        ? keyspaceStage.inspect(pass, observed) : Optional.empty();
    var result = new PassResult(observed.observation(), step, restoreFailure(pass, restore, observed),
        applyFailure, clusterHealth.consistency(), maintained, MemberCrashes.of(cluster, pass.pods()),
        pass.lastBackup(), keyspace, leaderHistory(pass, observed, clusterHealth));
    Optional<ClusterAuth.Outcome> auth = AuthStage.keep(pass, observed, step instanceof Step.Steady);
    countLeaderChange(pass, result);
    TroubleEvents.announce(pass, result);
    EtcdClusterStatus computed = ClusterStatusCalculator.of(cluster, result, pass.now());
    open.secrets().ifPresent(secrets -> computed.setTls(secrets.status()));
    EtcdClusterStatus status = auth.map(a -> AuthStage.with(computed, a, pass.now())).orElse(computed);
    return reschedule(cluster, status, maintained.map(ClusterMaintenance.Outcome::busy).orElse(false)
        || open.secrets().map(TlsSecrets.Outcome::rotating).orElse(false));
  }

  /** etcd refused the operator's credential: nothing is acted on, and the status says which Secret to check. */
  private UpdateControl<EtcdCluster> refuseCredential(ClusterPass pass, Observed observed) {
    EtcdCluster cluster = pass.cluster();
    quorumWatch.forget(ResourceID.fromResource(cluster));
    String message = AuthStage.refusal(pass, observed.credentialRefused().get());
    pass.events().warningOnce(cluster, AuthStage.CREDENTIAL_REFUSED, message);
    EtcdClusterStatus.Phase phase = cluster.getStatus() == null || cluster.getStatus().getPhase() == null
        ? EtcdClusterStatus.Phase.Pending : cluster.getStatus().getPhase();
    return reschedule(cluster, ClusterStatusCalculator.notActedOn(cluster, phase, AuthStage.CREDENTIAL_REFUSED,
        message, pass.now()), false);
  }

  /** The leader-change stage, on a pass whose members answered. */
  private Optional<LeaderHistory.Outcome> leaderHistory(ClusterPass pass, Observed observed, ClusterHealth health) {
    if (!observed.observation().reachable()) {
      return Optional.empty();
    }
    String key = observed.access().key();
    return Optional.of(LeaderHistory.observe(pass.cluster(), observed.observation(), pass.pods(), health,
        plannedMoves.of(key, pass.now()), metricsAtLastPass.swap(key, LeaderHistory.metrics(health))));
  }

  private void countLeaderChange(ClusterPass pass, PassResult result) {
    result.leaders().flatMap(LeaderHistory.Outcome::change)
        .ifPresent(change -> fleetMeters.leaderChanged(pass.namespace(), pass.name(), change.cause().name()));
  }

  /** While a cluster restores and no member answers, its restore init container may have refused the snapshot. */
  private static Optional<RestoreFailure> restoreFailure(ClusterPass pass, Optional<RestoreSource> restore,
      Observed observed) {
    if (restore.isEmpty() || observed.observation().reachable()) {
      return Optional.empty();
    }
    return RestoreFailures.of(pass.pods())
        .map(refusal -> new RestoreFailure(restore.get().name(), refusal));
  }

  /**
   * Reschedule: soon while progressing or maintaining ({@code busy}), at the health interval when
   * settled or waiting for a person; the status is patched only when it changed.
   */
  private UpdateControl<EtcdCluster> reschedule(EtcdCluster cluster, EtcdClusterStatus status, boolean busy) {
    Duration interval = busy || Conditions.isTrue(status.getConditions(), Conditions.PROGRESSING)
        ? progressInterval : healthInterval;
    UpdateControl<EtcdCluster> control = StatusPatches.same(cluster.getStatus(), status) ? UpdateControl.noUpdate()
        : UpdateControl.patchStatus(StatusPatches.of(cluster, status, EtcdCluster::new));
    return control.rescheduleAfter(interval);
  }

  /**
   * Forgets the clusters that no longer exist (their meters, their consistency schedule): a
   * cluster's deletion reaches no reconcile, so Main calls this periodically.
   */
  public void forgetDeletedClusters() {
    if (primaryCache == null) {
      return;
    }
    Set<String> existing = primaryCache.list().map(KubernetesAccess::key).collect(Collectors.toSet());
    fleetMeters.retainOnly(existing);
    health.retainOnly(existing);
    plannedMoves.retainOnly(existing);
    metricsAtLastPass.retainOnly(existing);
    quorumWatch.retainOnly(primaryCache.list().map(ResourceID::fromResource).collect(Collectors.toSet()));
  }

  /**
   * Member pods are watched too (they belong to the StatefulSet, so they map to a cluster by label),
   * the cluster's EtcdBackups (by spec.clusterName), and the members' answers between passes
   * ({@link QuorumWatch}).
   */
  @Override
  public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
    primaryCache = context.getPrimaryCache();
    var pods = InformerEventSourceConfiguration.from(Pod.class, EtcdCluster.class)
        .withName("member-pods")
        .withLabelSelector(ClusterLabels.MANAGED_SELECTOR + "," + ClusterLabels.COMPONENT + "="
            + DesiredStatefulSet.COMPONENT)
        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
            pod.getMetadata().getLabels().get(ClusterLabels.INSTANCE), pod.getMetadata().getNamespace())))
        // the pass that moved a pod in or out of the client Service has not had its status patch
        // cached yet: a pass at once would plan on the status before it (and write that back)
        .withOnUpdateFilter((now, before) -> !MemberPodStates.onlyClientEndpointChanged(now, before))
        .withNamespacesInheritedFromController()
        .build();
    // a snapshot's start and end: voluntary disruptions wait while one is taken (SnapshotsUnderWay)
    var backups = InformerEventSourceConfiguration.from(EtcdBackup.class, EtcdCluster.class)
        .withName("cluster-backups")
        .withSecondaryToPrimaryMapper(backup -> Set.of(new ResourceID(backup.getSpec().getClusterName(),
            backup.getMetadata().getNamespace())))
        .withOnUpdateFilter((now, before) -> phase(now) != phase(before))
        .withNamespacesInheritedFromController()
        .build();
    return List.of(new InformerEventSource<>(pods, context), new InformerEventSource<>(backups, context), quorumWatch);
  }

  private static EtcdBackupStatus.Phase phase(EtcdBackup backup) {
    return backup.getStatus() == null ? null : backup.getStatus().getPhase();
  }
}
