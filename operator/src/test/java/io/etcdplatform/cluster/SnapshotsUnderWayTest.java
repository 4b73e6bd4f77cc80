package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.members.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14, defect 4: one disruptive activity per cluster at a time, a snapshot being one. */
class SnapshotsUnderWayTest {

  private final Step restart = new Step.RestartMember("c-2", "to apply the new pod template");
  private final Step scaleDown = new Step.RemoveMember("c-4", 4, "to scale down to 3");

  @Test
  void whileASnapshotIsTakenNoMemberIsRestartedOrRemovedByAScaleDown() {
    SnapshotsUnderWay snapshots = SnapshotsUnderWay.of("c", List.of(backup("nightly", "c", Phase.Running, "c-1")));

    assertThat(snapshots.holdBack(restart)).isInstanceOfSatisfying(Step.Wait.class, wait -> assertThat(wait.reason())
        .isEqualTo("restarting c-2 to apply the new pod template waits: a snapshot is being taken from c-1"
            + " (EtcdBackup nightly): one disruptive activity at a time"));
    assertThat(snapshots.holdBack(scaleDown)).isInstanceOf(Step.Wait.class);
    assertThat(snapshots.reasonToWait()).isPresent();
  }

  @Test
  void repairsGoOnWhileASnapshotIsTaken() {
    SnapshotsUnderWay snapshots = SnapshotsUnderWay.of("c", List.of(backup("nightly", "c", Phase.Running, "c-1")));
    Step replace = new Step.ReplaceMember("c-0", 1, "failed for 5 minutes");
    Step add = new Step.AddLearner("c-3", 3);

    assertThat(snapshots.holdBack(replace)).isSameAs(replace);
    assertThat(snapshots.holdBack(add)).isSameAs(add);
  }

  @Test
  void finishedBackupsThoseOfOtherClustersAndThoseNotYetOnAMemberHoldNothingBack() {
    SnapshotsUnderWay snapshots = SnapshotsUnderWay.of("c", List.of(
        backup("done", "c", Phase.Succeeded, "c-1"), backup("failed", "c", Phase.Failed, "c-1"),
        backup("theirs", "other", Phase.Running, "other-1"), backup("waiting", "c", Phase.Pending, null),
        backup("new", "c", null, null)));

    assertThat(snapshots.holdBack(restart)).isSameAs(restart);
    assertThat(snapshots.reasonToWait()).isEmpty();
  }

  private static EtcdBackup backup(String name, String cluster, Phase phase, String member) {
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(name);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(cluster);
    if (phase != null) {
      backup.setStatus(new EtcdBackupStatus());
      backup.getStatus().setPhase(phase);
      backup.getStatus().setMember(member);
    }
    return backup;
  }
}
