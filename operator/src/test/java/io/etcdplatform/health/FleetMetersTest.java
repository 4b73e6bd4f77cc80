package io.etcdplatform.health;

import io.etcdplatform.metrics.BackupResult;
import io.etcdplatform.metrics.FleetMeters;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.testkit.Binaries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetMetersTest {

  private PrometheusMeterRegistry registry;
  private FleetMeters meters;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters = new FleetMeters(registry);
  }

  @Test
  void clusterAndMemberFamiliesCarryTheirLabels() {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("team-a", "a", 3, HealthObserver.observe(cluster.observation(), cluster, true));

    String scrape = registry.scrape();

    assertThat(scrape).contains("etcdplatform_cluster_has_leader{cluster=\"a\",namespace=\"team-a\"} 1.0")
        .contains("etcdplatform_cluster_quorum{cluster=\"a\",namespace=\"team-a\"} 1.0")
        .contains("etcdplatform_cluster_consistent{cluster=\"a\",namespace=\"team-a\"} 1.0")
        .contains("etcdplatform_cluster_alarms{alarm=\"NOSPACE\",cluster=\"a\",namespace=\"team-a\"} 0.0")
        .contains("etcdplatform_member_db_size_bytes{cluster=\"a\",member=\"a-1\",namespace=\"team-a\"} 20480.0")
        .contains("etcdplatform_member_leader{cluster=\"a\",member=\"a-0\",namespace=\"team-a\"} 1.0")
        .contains("etcdplatform_member_info{cluster=\"a\",member=\"a-2\",namespace=\"team-a\",version=\"3.6.16\"} 1")
        .contains("etcdplatform_member_leader_changes_seen_total{cluster=\"a\",member=\"a-0\",namespace=\"team-a\"} 1.0")
        .contains("etcdplatform_member_slow_applies_total{cluster=\"a\",member=\"a-0\",namespace=\"team-a\"} 0.0")
        .contains("etcdplatform_member_slow_read_indexes_total{cluster=\"a\",member=\"a-0\",namespace=\"team-a\"} 0.0")
        .contains("etcdplatform_member_watchers{cluster=\"a\",member=\"a-0\",namespace=\"team-a\"} NaN");
    assertThat(value(scrape, "etcdplatform_member_wal_fsync_p99_seconds{cluster=\"a\",member=\"a-0\"")).isPositive();
  }

  @Test
  void termIncreasesCountAsElectionsAndAMismatchIsCounted() {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, true));
    cluster.answering(0, 100, 4).answering(1, 101, 4).answering(2, 102, 4);
    cluster.hashes.put("a-1", 0xbadL);
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, true));

    String scrape = registry.scrape();

    assertThat(scrape).contains("etcdplatform_cluster_leader_elections_total{cluster=\"a\",namespace=\"ns\"} 2.0")
        .contains("etcdplatform_cluster_hash_mismatches_total{cluster=\"a\",namespace=\"ns\"} 1.0")
        .contains("etcdplatform_cluster_consistent{cluster=\"a\",namespace=\"ns\"} 0.0");
  }

  @Test
  void maintenanceOperationsAreCountedByOperationAndResult() {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, false));
    meters.maintenanceOperation("ns", "a", "defragment", true);
    meters.maintenanceOperation("ns", "a", "defragment", true);
    meters.maintenanceOperation("ns", "a", "defragment", false);
    meters.lastCompaction("ns", "a", java.time.Instant.ofEpochSecond(1_800_000_000L), 4242);

    assertThat(registry.scrape())
        .contains("etcdplatform_maintenance_operations_total{cluster=\"a\",namespace=\"ns\",operation=\"defragment\","
            + "result=\"success\"} 2.0")
        .contains("result=\"failure\"} 1.0")
        .contains("etcdplatform_cluster_compacted_revision{cluster=\"a\",namespace=\"ns\"} 4242.0")
        .contains("etcdplatform_cluster_last_compaction_timestamp_seconds{cluster=\"a\",namespace=\"ns\"} 1.8E9");

    meters.retainOnly(List.of());

    assertThat(registry.scrape()).doesNotContain("etcdplatform_maintenance_operations_total{");
  }

  @Test
  void leaderChangesAreCountedByCauseAndGoWithTheCluster() {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, false));
    meters.leaderChanged("ns", "a", "PlannedMove");
    meters.leaderChanged("ns", "a", "LeaderRestarted");
    meters.leaderChanged("ns", "a", "LeaderRestarted");

    assertThat(registry.scrape())
        .contains("etcdplatform_cluster_leader_changes_total{cause=\"LeaderRestarted\",cluster=\"a\",namespace=\"ns\"} 2.0")
        .contains("etcdplatform_cluster_leader_changes_total{cause=\"PlannedMove\",cluster=\"a\",namespace=\"ns\"} 1.0");

    meters.retainOnly(List.of());

    assertThat(registry.scrape()).doesNotContain("etcdplatform_cluster_leader_changes_total{");
  }

  @Test
  void aRemovedMembersAndADeletedClustersSeriesDisappear() {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, false));
    meters.record("ns", "b", 3, HealthObserver.observe(cluster.observation(), cluster, false));
    cluster.members.removeIf(m -> m.name().equals("a-2"));
    meters.record("ns", "a", 2, HealthObserver.observe(cluster.observation(), cluster, false));

    assertThat(registry.scrape()).doesNotContain("cluster=\"a\",member=\"a-2\"").contains("cluster=\"a\",member=\"a-1\"");

    meters.retainOnly(List.of("ns/a"));

    assertThat(registry.scrape()).doesNotContain("cluster=\"b\"").contains("cluster=\"a\"");
  }

  @Test
  void docsMetricsListsEveryFamilyAndNoOther() throws Exception {
    RecordedCluster cluster = new RecordedCluster();
    meters.record("ns", "a", 3, HealthObserver.observe(cluster.observation(), cluster, true));
    meters.maintenanceOperation("ns", "a", "defragment", true);
    meters.defragmented("ns", "a", java.time.Instant.EPOCH, java.time.Duration.ofSeconds(1));
    meters.backupFinished("ns", "a", BackupResult.SUCCESS, java.time.Instant.EPOCH);
    meters.backupVerified("ns", "a", true, java.time.Instant.EPOCH);
    meters.keyspace("ns", "a", java.util.Map.of("/registry/pods/ns/", 5L), 7);
    meters.leaderChanged("ns", "a", "Unknown");
    Set<String> exported = Pattern.compile("(?m)^# TYPE (etcdplatform_\\w+) ").matcher(registry.scrape()).results()
        .map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
    String docs = Files.readString(Binaries.repositoryRoot().resolve("docs/metrics.md"));
    Set<String> documented = Pattern.compile("`(etcdplatform_(health|cluster|member|maintenance|backups?)_?\\w*)`")
        .matcher(docs).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));

    assertThat(documented).isEqualTo(exported);
  }

  @Test
  void onlyTheLastInspectionsTopPrefixesAreExportedAndGoWithTheCluster() {
    meters.keyspace("ns", "a", java.util.Map.of("/registry/pods/big/", 50_000L, "/registry/events/big/", 900L), 51_000);
    meters.keyspace("ns", "a", java.util.Map.of("/registry/pods/big/", 50_100L), 51_100);

    String scrape = registry.scrape();
    assertThat(value(scrape, "etcdplatform_cluster_keyspace_keys{cluster=\"a\",namespace=\"ns\",prefix=\"/registry/pods/big/\"}"))
        .isEqualTo(50_100);
    assertThat(scrape).as("a prefix no longer in the top is gone").doesNotContain("/registry/events/big/");
    assertThat(value(scrape, "etcdplatform_cluster_keyspace_total_keys{cluster=\"a\"")).isEqualTo(51_100);
    meters.retainOnly(java.util.List.of());
    assertThat(registry.scrape()).doesNotContain("etcdplatform_cluster_keyspace");
  }

  private static double value(String scrape, String seriesPrefix) {
    return scrape.lines().filter(l -> l.startsWith(seriesPrefix)).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow();
  }
}
