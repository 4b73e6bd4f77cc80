package io.etcdplatform.maintenance;

import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Compaction;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Defragmentation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What a maintenance action did, and how the status records it (in a copy: the given status is kept). */
public sealed interface MaintenanceResult {

  /** The status with this result recorded. */
  MaintenanceStatus recordedIn(MaintenanceStatus status);

  record Compacted(Compaction compaction) implements MaintenanceResult {
    public MaintenanceStatus recordedIn(MaintenanceStatus status) {
      MaintenanceStatus next = copy(status);
      next.setLastCompaction(compaction);
      return next;
    }
  }

  /** The member's latest defragmentation replaces its previous one; the list stays sorted by member. */
  record Defragmented(Defragmentation defragmentation) implements MaintenanceResult {
    public MaintenanceStatus recordedIn(MaintenanceStatus status) {
      List<Defragmentation> all = new ArrayList<>(status.getDefragmentations() == null ? List.of()
          : status.getDefragmentations());
      all.removeIf(d -> d.getMember().equals(defragmentation.getMember()));
      all.add(defragmentation);
      all.sort(Comparator.comparing(Defragmentation::getMember));
      MaintenanceStatus next = copy(status);
      next.setDefragmentations(all);
      return next;
    }
  }

  record LeaderMoved() implements MaintenanceResult {
    public MaintenanceStatus recordedIn(MaintenanceStatus status) {
      return copy(status);
    }
  }

  record Disarmed() implements MaintenanceResult {
    public MaintenanceStatus recordedIn(MaintenanceStatus status) {
      return copy(status);
    }
  }

  private static MaintenanceStatus copy(MaintenanceStatus status) {
    return Serialization.jsonMapper().convertValue(status, MaintenanceStatus.class);
  }
}
