package io.etcdplatform.cluster;

import io.etcdplatform.cluster.dependents.OwnedObjectWrites;
import io.etcdplatform.members.MembershipLayout;
import java.util.Optional;

/**
 * Apply: every owned object, computed by the pure builders and sized by the observed membership,
 * handed to the JOSDK workflow's dependents (server-side apply). With quorum lost nothing is applied.
 */
final class OwnedObjects {

  private final String etcdImageRepository;
  private final String operatorImage;
  private final OwnedObjectWrites writes;

  OwnedObjects(String etcdImageRepository, String operatorImage, OwnedObjectWrites writes) {
    this.etcdImageRepository = etcdImageRepository;
    this.operatorImage = operatorImage;
    this.writes = writes;
  }

  void apply(ClusterPass pass, Observed observed, Optional<RestoreSource> restore) {
    var addresses = observed.access().addresses();
    MembershipLayout.of(pass.desiredMembers(), observed.observation(), addresses).ifPresent(layout -> {
      var workflow = pass.context().managedWorkflowAndDependentResourceContext();
      int voters = observed.observation().reachable() ? observed.observation().voters().size() : pass.desiredMembers();
      workflow.put(DesiredObjects.CONTEXT_KEY, DesiredObjects.of(pass.cluster(), etcdImageRepository,
          pass.statefulSet(), layout, restore.map(r -> DesiredRestoreContainer.build(pass.cluster(), operatorImage, r)),
          voters));
      workflow.put(OwnedObjectWrites.CONTEXT_KEY, writes);
      workflow.reconcileManagedWorkflow();
    });
  }
}
