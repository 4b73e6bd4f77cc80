package io.etcdplatform.cluster.dependents;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.cluster.DesiredObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.function.Function;

/**
 * A dependent whose desired object is one part of the {@link DesiredObjects} the reconciler put
 * into the context, found on the server by the name the builders give it.
 */
abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, EtcdCluster> {

  private final Function<DesiredObjects, R> part;
  private final Function<EtcdCluster, String> name;

  OwnedDependent(Class<R> type, Function<DesiredObjects, R> part, Function<EtcdCluster, String> name) {
    super(type);
    this.part = part;
    this.name = name;
  }

  @Override
  protected R desired(EtcdCluster primary, Context<EtcdCluster> context) {
    DesiredObjects desired = context.managedWorkflowAndDependentResourceContext()
        .getMandatory(DesiredObjects.CONTEXT_KEY, DesiredObjects.class);
    return part.apply(desired);
  }

  @Override
  public ReconcileResult<R> reconcile(EtcdCluster primary, Context<EtcdCluster> context) {
    ReconcileResult<R> result = super.reconcile(primary, context);
    context.managedWorkflowAndDependentResourceContext()
        .get(OwnedObjectWrites.CONTEXT_KEY, OwnedObjectWrites.class)
        .ifPresent(writes -> writes.record(result));
    return result;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(EtcdCluster primary, Context<EtcdCluster> context) {
    return new ResourceID(name.apply(primary), primary.getMetadata().getNamespace());
  }
}
