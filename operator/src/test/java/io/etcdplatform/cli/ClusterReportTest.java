package io.etcdplatform.cli;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.api.v1alpha1.LastBackup;
import io.etcdplatform.api.v1alpha1.LeaderChangeStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.kube.Conditions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterReportTest {

  private static final Instant REQUESTED = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void statusShowsTheMembersAlarmsLastBackupAndLastDefragmentation() {
    String report = ClusterReport.status(running());

    assertThat(report.lines()).first().asString()
        .matches("NAME +PHASE +READY +VERSION +LEADER +REVISION SPREAD +LAST BACKUP");
    assertThat(report).contains("orders   Running   3/3     3.6.16    orders-0   3 ");
    assertThat(report).containsPattern("orders-0 +Leader +true +3.6.16 +64.0 MiB +12.5 MiB +1000 +2000\n");
    assertThat(report).containsPattern("orders-2 +Follower +false +<none>");
    assertThat(report).contains("Alarms:               NOSPACE");
    assertThat(report).contains("Last backup:          orders-0300 at 2026-12-02T03:00:00Z, restore drill Passed");
    assertThat(report).as("the newest of the defragmentations")
        .contains("Last defragmentation: orders-1 at 2026-12-02T10:02:00Z, 64.0 MiB -> 12.5 MiB");
  }

  @Test
  void diagnoseListsTheConditionsAndSaysWhenHashesDiffer() {
    EtcdCluster cluster = running();
    cluster.getStatus().setConditions(List.of(
        Conditions.of(Conditions.CONSISTENT, false, "HashMismatch", "orders-2 differs at revision 900", 1),
        Conditions.of(Conditions.AVAILABLE, true, "AllMembersHealthy", "3 of 3 voting members healthy", 1)));

    String report = ClusterReport.diagnose(cluster);

    assertThat(report).containsPattern("Available +True +AllMembersHealthy +3 of 3 voting members healthy");
    assertThat(report).contains("Consistency:          HASHES DIFFER: orders-2 differs at revision 900");
    assertThat(report).contains("Quota used:           97%");
    assertThat(report).contains("Keyspace:             not inspected").contains("Leader changes:       none seen");
    cluster.getStatus().setLeaderChanges(List.of(new LeaderChangeStatus("2026-12-02T10:05:00Z", "orders-0",
        "orders-1", 7L, "SlowDisk", List.of("orders-0 WAL fsync p99 42 ms", "term jumped from 5 to 7"))));
    cluster.getStatus().setRaftTimingAdvice("set heartbeatIntervalMillis 200 and electionTimeoutMillis 2000");
    assertThat(ClusterReport.diagnose(cluster))
        .containsPattern("2026-12-02T10:05:00Z +orders-0 +orders-1 +7 +SlowDisk +orders-0 WAL fsync p99 42 ms; term jumped")
        .contains("Raft timing:          set heartbeatIntervalMillis 200");
    assertThat(ClusterReport.status(cluster)).contains("Leader changes:       1 recorded, the last 2026-12-02T10:05:00Z (SlowDisk)");
    var keyspace = new KeyspaceStatus();
    keyspace.setTotalKeys(51_000L);
    keyspace.setMember("orders-2");
    keyspace.setMeasuredAt("2026-12-02T10:00:00Z");
    keyspace.setPartial(false);
    keyspace.setPrefixes(List.of(new KeyspaceStatus.Prefix("/registry/pods/big/", 50_000L, 1_400_000L),
        new KeyspaceStatus.Prefix("/registry/configmaps/shop/", 1_000L, 30_000L)));
    cluster.getStatus().setKeyspace(keyspace);
    assertThat(ClusterReport.diagnose(cluster)).contains("Keyspace:             51000 keys at 2026-12-02T10:00:00Z from orders-2\n")
        .containsPattern("/registry/pods/big/ +50000 +98%").containsPattern("/registry/configmaps/shop/ +1000 +2%");
  }

  @Test
  void aClusterNotYetObservedPrintsWithoutFailing() {
    EtcdCluster fresh = cluster("new", 3);

    assertThat(ClusterReport.status(fresh)).contains("new ").contains("Last backup:          none")
        .contains("Last defragmentation: none");
    assertThat(ClusterReport.diagnose(fresh)).contains("Consistency:          not compared yet");
  }

  @Test
  void defragmentationIsDoneOnceTheOperatorRecordsTheRequestNotBefore() {
    EtcdCluster cluster = running();
    cluster.getStatus().getMaintenance().setDefragmentations(List.of(
        new MaintenanceStatus.Defragmentation("orders-2", "2026-12-02T09:00:00Z", 1L, 1L, 1L),
        new MaintenanceStatus.Defragmentation("orders-1", "2026-12-02T10:02:00Z", 1L, 1L, 1L)));

    var during = KubectlEtcd.defragmentationProgress(cluster, REQUESTED);
    assertThat(during.line()).as("the one before the request does not count").startsWith("1 of 3 members");
    assertThat(during.outcome()).isEmpty();

    cluster.getStatus().getMaintenance().setDefragmentationRequest(REQUESTED.toString());
    assertThat(KubectlEtcd.defragmentationProgress(cluster, REQUESTED).outcome()).hasValueSatisfying(
        o -> assertThat(o.succeeded()).isTrue());
  }

  private static EtcdCluster running() {
    EtcdCluster cluster = cluster("orders", 3);
    EtcdClusterStatus status = new EtcdClusterStatus();
    status.setPhase(EtcdClusterStatus.Phase.Running);
    status.setReady("3/3");
    status.setVersion("3.6.16");
    status.setLeader("orders-0");
    status.setRevisionSpread(3L);
    status.setLastBackup(new LastBackup("orders-0300", "2026-12-02T03:00:00Z", "Passed"));
    status.setMembers(List.of(member("orders-0", MemberStatus.Role.Leader, true),
        member("orders-1", MemberStatus.Role.Follower, true), member("orders-2", MemberStatus.Role.Follower, false)));
    MaintenanceStatus maintenance = new MaintenanceStatus();
    maintenance.setAlarms(List.of("NOSPACE"));
    maintenance.setQuotaUsagePercent(97);
    maintenance.setDefragmentations(List.of(
        new MaintenanceStatus.Defragmentation("orders-2", "2026-12-02T10:01:00Z", 67108864L, 13107200L, 900L),
        new MaintenanceStatus.Defragmentation("orders-1", "2026-12-02T10:02:00Z", 67108864L, 13107200L, 900L)));
    status.setMaintenance(maintenance);
    cluster.setStatus(status);
    return cluster;
  }

  private static MemberStatus member(String name, MemberStatus.Role role, boolean answers) {
    MemberStatus member = new MemberStatus();
    member.setName(name);
    member.setRole(role);
    member.setHealthy(answers);
    if (answers) {
      member.setVersion("3.6.16");
      member.setDbSize(67108864L);
      member.setDbSizeInUse(13107200L);
      member.setRevision(1000L);
      member.setRaftIndex(2000L);
    }
    return member;
  }
}
