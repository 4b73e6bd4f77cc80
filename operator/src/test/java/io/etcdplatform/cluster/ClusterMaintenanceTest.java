package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.maintenance.MaintenanceStep;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMaintenanceTest {

  private static final long MiB = 1024 * 1024;
  private static final long QUOTA = 2048 * MiB;
  private static final MaintenanceStep IDLE = new MaintenanceStep.Idle("nothing due");

  @Test
  void withinTheQuotaSpaceIsAvailable() {
    var condition = ClusterMaintenance.spaceCondition(observation(900), List.of(), QUOTA, IDLE, 3);

    assertThat(condition.getStatus()).isEqualTo("True");
    assertThat(condition.getMessage()).isEqualTo("the largest data in use is 43% of the quota");
  }

  @Test
  void aNoSpaceAlarmSaysWhoAndWhatIsBeingDone() {
    var recovering = new MaintenanceStep.Defragment("a-1", 1, "NOSPACE: reclaiming space on every member", true);

    var condition = ClusterMaintenance.spaceCondition(observation(300),
        List.of(new Alarm("a-1", Alarm.Kind.NOSPACE), new Alarm("a-0", Alarm.Kind.NOSPACE)), QUOTA, recovering, 3);

    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("NoSpaceAlarm");
    assertThat(condition.getMessage()).startsWith("NOSPACE on a-0, a-1: etcd refuses writes")
        .endsWith("NOSPACE: reclaiming space on every member");
  }

  @Test
  void dataThatDoesNotFitAfterMaintenanceAsksForALargerQuotaByHowMuch() {
    var condition = ClusterMaintenance.spaceCondition(observation(1900), List.of(), QUOTA, IDLE, 3);

    assertThat(condition.getReason()).isEqualTo("QuotaTooSmall");
    assertThat(condition.getMessage()).contains("1900 MiB").contains("92% of the quota (2048 MiB)")
        .contains("raise spec.etcd.quotaBackendBytes to 3221225472 (3072 MiB)");
  }

  private static ClusterObservation observation(long inUseMiB) {
    var member = new EtcdMemberState(1, "a-0", 0, true, false, true, 10, null,
        new MemberStats("3.6.16", 2000 * MiB, inUseMiB * MiB, 5, 2, 10));
    return new ClusterObservation(true, 1, List.of(member), 1, List.of(), Instant.EPOCH);
  }

  @Test
  void aOneMemberClusterSaysItsDefragmentationWillBeFeltAndThreeMembersThatItWillNot() {
    var alone = ClusterMaintenance.transparencyCondition(observation(300), 3);
    assertThat(alone.getType()).isEqualTo("TransparentDefragmentation");
    assertThat(alone.getStatus()).isEqualTo("False");
    assertThat(alone.getReason()).isEqualTo("TooFewMembers");
    assertThat(alone.getMessage()).contains("clients wait while it is defragmented");

    var stats = new MemberStats("3.6.16", 2000 * MiB, 300 * MiB, 5, 2, 10);
    var three = new ClusterObservation(true, 1, List.of(new EtcdMemberState(1, "a-0", 0, true, false, true, 10, null,
        stats), new EtcdMemberState(2, "a-1", 1, true, false, true, 10, null, stats),
        new EtcdMemberState(3, "a-2", 2, true, false, true, 10, null, stats)), 1, List.of(), Instant.EPOCH);
    assertThat(ClusterMaintenance.transparencyCondition(three, 3).getStatus()).isEqualTo("True");
  }

  @Test
  void aCorruptAlarmMakesTheClusterInconsistentNamingTheMembers() {
    assertThat(ClusterMaintenance.corruptCondition(List.of(new Alarm("a-0", Alarm.Kind.NOSPACE)), 3)).isEmpty();

    var condition = ClusterMaintenance.corruptCondition(List.of(new Alarm("a-2", Alarm.Kind.CORRUPT)), 3).orElseThrow();

    assertThat(condition.getType()).isEqualTo("Consistent");
    assertThat(condition.getStatus()).isEqualTo("False");
    assertThat(condition.getReason()).isEqualTo("CorruptAlarm");
    assertThat(condition.getMessage()).contains("CORRUPT alarm on a-2").contains("never disarmed automatically");
  }
}
