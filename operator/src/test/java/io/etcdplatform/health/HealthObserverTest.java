package io.etcdplatform.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.Consistency;
import io.etcdplatform.metrics.Consistency.Verdict;
import io.etcdplatform.metrics.MemberHealth;
import org.junit.jupiter.api.Test;

class HealthObserverTest {

  @Test
  void aHealthyClusterHasALeaderAQuorumAndAgreeingMembers() {
    RecordedCluster cluster = new RecordedCluster();

    ClusterHealth health = HealthObserver.observe(cluster.observation(), cluster, true);

    assertThat(health.leaderPresent()).isTrue();
    assertThat(health.quorum()).isTrue();
    assertThat(health.healthyVoters()).isEqualTo(3);
    assertThat(health.revisionSpread()).isEqualTo(2);
    assertThat(health.raftIndexSpread()).isEqualTo(2);
    assertThat(health.consistency().orElseThrow().verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(health.consistency().orElseThrow().revision()).as("the lowest revision every member has").isEqualTo(100);
    assertThat(health.members()).extracting(MemberHealth::role).containsExactly("Leader", "Follower", "Follower");
    assertThat(health.members()).allMatch(m -> m.metrics() != null && m.metrics().walFsync().count() == 58);
  }

  @Test
  void aHashMismatchNamesTheMember() {
    RecordedCluster cluster = new RecordedCluster();
    cluster.hashes.put("a-2", 0xdeadL);

    Consistency consistency = HealthObserver.observe(cluster.observation(), cluster, true).consistency().orElseThrow();

    assertThat(consistency.verdict()).isEqualTo(Verdict.INCONSISTENT);
    assertThat(consistency.disagreeing()).containsExactly("a-2");
  }

  @Test
  void aMemberThatStopsAnsweringIsDownAndLeftOutOfTheComparison() {
    RecordedCluster cluster = new RecordedCluster().silent(2);

    ClusterHealth health = HealthObserver.observe(cluster.observation(), cluster, true);

    MemberHealth silent = health.members().stream().filter(m -> m.name().equals("a-2")).findFirst().orElseThrow();
    assertThat(silent.reachable()).isFalse();
    assertThat(silent.metrics()).isNull();
    assertThat(health.healthyVoters()).isEqualTo(2);
    assertThat(health.quorum()).isTrue();
    assertThat(health.consistency().orElseThrow().message()).isEqualTo("2 members agree at revision 100");
  }

  @Test
  void withTwoOfThreeSilentThereIsNoQuorumAndNoLeader() {
    RecordedCluster cluster = new RecordedCluster().silent(0).silent(1);

    ClusterHealth health = HealthObserver.observe(cluster.observation(), cluster, true);

    assertThat(health.leaderPresent()).isFalse();
    assertThat(health.quorum()).isFalse();
    assertThat(health.consistency().orElseThrow().verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(cluster.alarmListsAsked).as("the alarm list is a raft request: a deadline lost").isZero();
  }

  @Test
  void alarmsAreNamedByMemberAndHashesComparedOnlyWhenAsked() {
    RecordedCluster cluster = new RecordedCluster();
    cluster.alarms.add(new Alarm.Raised(2, Alarm.Kind.NOSPACE));

    ClusterHealth health = HealthObserver.observe(cluster.observation(), cluster, false);

    assertThat(health.alarms()).containsExactly(new Alarm("a-1", Alarm.Kind.NOSPACE));
    assertThat(health.alarmCount(Alarm.Kind.NOSPACE)).isEqualTo(1);
    assertThat(health.consistency()).isEmpty();
  }
}
