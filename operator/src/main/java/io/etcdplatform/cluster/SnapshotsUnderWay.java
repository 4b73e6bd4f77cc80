package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.members.Step;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The snapshots being taken from a cluster's members (Running EtcdBackups and the member each
 * streams from), and the rule that keeps one disruptive activity per cluster at a time: while a
 * snapshot is taken, no member is restarted, removed by a scale-down or defragmented (a
 * defragmentation would block behind the snapshot's read transaction and stall its member).
 * Repairs (replacing a failed member, adding or promoting one) go on.
 */
record SnapshotsUnderWay(Map<String, String> backupByMember) {

  static SnapshotsUnderWay of(String cluster, Collection<EtcdBackup> backups) {
    Map<String, String> byMember = new TreeMap<>();
    for (EtcdBackup backup : backups) {
      var status = backup.getStatus();
      if (cluster.equals(backup.getSpec().getClusterName()) && status != null && status.getPhase() == Phase.Running
          && status.getMember() != null) {
        byMember.put(status.getMember(), backup.getMetadata().getName());
      }
    }
    return new SnapshotsUnderWay(byMember);
  }

  /** Why a voluntary disruption waits now; empty when no snapshot is being taken. */
  Optional<String> reasonToWait() {
    return backupByMember.entrySet().stream().findFirst().map(e -> "a snapshot is being taken from " + e.getKey()
        + " (EtcdBackup " + e.getValue() + "): one disruptive activity at a time");
  }

  /** The planned membership step, or a Wait when it is a voluntary disruption and a snapshot is under way. */
  Step holdBack(Step planned) {
    boolean voluntary = planned instanceof Step.RestartMember || planned instanceof Step.RemoveMember;
    return voluntary ? reasonToWait().<Step>map(why -> new Step.Wait(planned.reason() + " waits: " + why))
        .orElse(planned) : planned;
  }
}
