package io.etcdplatform.cluster.dependents;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every create and update the dependents send to the API server, logged and counted in
 * {@code etcdplatform_owned_object_writes_total{kind,operation}}: a steady cluster shows none.
 */
public final class OwnedObjectWrites {

  public static final String CONTEXT_KEY = OwnedObjectWrites.class.getName();
  private static final Logger log = LoggerFactory.getLogger(OwnedObjectWrites.class);

  private final MeterRegistry registry;

  public OwnedObjectWrites(MeterRegistry registry) {
    this.registry = registry;
  }

  <R extends HasMetadata> void record(ReconcileResult<R> result) {
    result.getResourceOperations().forEach((resource, operation) -> {
      if (operation == ReconcileResult.Operation.NONE) {
        return;
      }
      String verb = operation.name().toLowerCase();
      log.info("{} {} {}/{}", verb, resource.getKind(), resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
      registry.counter("etcdplatform.owned.object.writes", "kind", resource.getKind(), "operation", verb)
          .increment();
    });
  }
}
