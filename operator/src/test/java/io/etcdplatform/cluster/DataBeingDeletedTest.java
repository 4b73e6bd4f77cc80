package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataBeingDeletedTest {

  private static PersistentVolumeClaim claim(String name, String ownerKind, String deletedAt) {
    PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withDeletionTimestamp(deletedAt).endMetadata();
    if (ownerKind != null) {
      claim.editMetadata().addNewOwnerReference().withKind(ownerKind).withName("owner").withUid("u").endOwnerReference()
          .endMetadata();
    }
    return claim.build();
  }

  /**
   * The StatefulSet makes the claim of a pod it scales down owned by that pod, and only the garbage
   * collector deletes it, some time after the pod is gone: both are data of a removed member.
   */
  @Test
  void aClaimDeletedOrOwnedByItsScaledDownPodIsGoingAwayAndOneOwnedByTheStatefulSetIsNot() {
    assertThat(DataBeingDeleted.of(cluster("main", 3), List.of(
        claim("data-main-0", "StatefulSet", null),
        claim("data-main-1", null, null),
        claim("data-main-3", "Pod", null),
        claim("data-main-4", "StatefulSet", "2026-01-01T00:00:00Z"),
        claim("data-other-5", "Pod", null),
        claim("backups", "Pod", null))))
        .containsExactlyInAnyOrder("main-3", "main-4");
  }
}
