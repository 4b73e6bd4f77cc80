package io.etcdplatform.cluster;

import io.etcdplatform.cluster.PassResult.ApplyFailure;
import io.etcdplatform.cluster.dependents.OwnedObjectWrites;
import io.etcdplatform.config.NetworkPolicyDefaults;
import io.etcdplatform.members.MembershipLayout;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apply: every owned object, computed by the pure builders and sized by the observed membership,
 * handed to the JOSDK workflow's dependents (server-side apply). With quorum lost nothing is applied.
 * What the API server refuses comes back as an {@link ApplyFailure}, for the status and an Event.
 */
final class OwnedObjects {

  private static final Logger log = LoggerFactory.getLogger(OwnedObjects.class);

  private final String etcdImageRepository;
  private final String operatorImage;
  private final OwnedObjectWrites writes;
  private final NetworkPolicyDefaults networkPolicyDefaults;

  OwnedObjects(String etcdImageRepository, String operatorImage, OwnedObjectWrites writes,
      NetworkPolicyDefaults networkPolicyDefaults) {
    this.etcdImageRepository = etcdImageRepository;
    this.operatorImage = operatorImage;
    this.writes = writes;
    this.networkPolicyDefaults = networkPolicyDefaults;
  }

  /** @param trust the digest of a TLS cluster's trust bundles (the pod template carries it) */
  Optional<ApplyFailure> apply(ClusterPass pass, Observed observed, Optional<RestoreSource> restore,
      Optional<String> trust) {
    var addresses = observed.access().addresses();
    return MembershipLayout.of(pass.desiredMembers(), observed.observation(), addresses).flatMap(layout -> {
      var workflow = pass.context().managedWorkflowAndDependentResourceContext();
      int voters = observed.observation().reachable() ? observed.observation().voters().size() : pass.desiredMembers();
      workflow.put(DesiredObjects.CONTEXT_KEY, DesiredObjects.of(pass.cluster(), etcdImageRepository,
          pass.statefulSet(), layout, restore.map(r -> DesiredRestoreContainer.build(pass.cluster(), operatorImage, r)),
          voters, networkPolicyDefaults, trust));
      workflow.put(OwnedObjectWrites.CONTEXT_KEY, writes);
      Optional<ApplyFailure> failure = refusals(workflow.reconcileManagedWorkflow());
      failure.ifPresent(f -> log.warn("{}/{}: {}", pass.namespace(), pass.name(), f.message()));
      return failure;
    });
  }

  /** What the API server refused, in its own words (sorted, so that the same refusals read the same). */
  private static Optional<ApplyFailure> refusals(WorkflowReconcileResult result) {
    if (!result.erroredDependentsExist()) {
      return Optional.empty();
    }
    return Optional.of(new ApplyFailure(result.getErroredDependents().values().stream()
        .map(OwnedObjects::refusal).sorted().collect(Collectors.joining("; "))));
  }

  /** The API server's message; an error that is not the API server's is the operator's own, and thrown on. */
  private static String refusal(Exception error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException refused) {
        return refused.getStatus() != null && refused.getStatus().getMessage() != null
            ? refused.getStatus().getMessage() : refused.getMessage();
      }
    }
    throw error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
  }
}
