package io.etcdplatform.cluster;

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
 * One pass over one EtcdCluster: validate, apply the desired objects, report status, reschedule.
 * The workflow is invoked explicitly so that a paused cluster or a refused spec changes nothing.
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
  private final Clock clock;

  public EtcdClusterReconciler(OperatorConfig config, MeterRegistry registry, Clock clock) {
    this.config = config;
    this.writes = new OwnedObjectWrites(registry);
    this.clock = clock;
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

    var statefulSet = context.getSecondaryResource(StatefulSet.class);
    if (StorageExpansion.isPending(cluster, statefulSet)) {
      try {
        StorageExpansion.expand(cluster, context.getClient());
      } catch (StorageExpansionException e) {
        return report(cluster, ClusterStatusCalculator.notActedOn(cluster, currentPhase(cluster),
            "StorageExpansionFailed", e.getMessage(), clock.instant()));
      }
      // the StatefulSet is being re-created with the new claim size: apply the rest next pass
      return report(cluster, ClusterStatusCalculator.observed(cluster, Optional.empty(), clock.instant()));
    }

    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(DesiredObjects.CONTEXT_KEY, DesiredObjects.of(cluster, config.etcdImageRepository(), statefulSet));
    workflow.put(OwnedObjectWrites.CONTEXT_KEY, writes);
    workflow.reconcileManagedWorkflow();

    return report(cluster, ClusterStatusCalculator.observed(cluster,
        context.getSecondaryResource(StatefulSet.class), clock.instant()));
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
    var interval = Conditions.isTrue(status.getConditions(), Conditions.PROGRESSING)
        ? config.progressInterval() : config.healthInterval();
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
