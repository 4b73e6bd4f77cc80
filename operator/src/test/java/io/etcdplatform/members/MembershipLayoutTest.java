package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipLayoutTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static final MemberAddresses ADDRESSES = new MemberAddresses() {
    public String cluster() {
      return "c";
    }

    public String peerUrl(String member) {
      return "http://" + member + ":2380";
    }

    public String clientUrl(String member) {
      return "http://" + member + ":2379";
    }
  };

  private static EtcdMemberState member(int ordinal, boolean started, boolean learner) {
    return new EtcdMemberState(ordinal + 1, "c-" + ordinal, ordinal, started, learner, started, 1, null, null);
  }

  private static ClusterObservation observation(boolean formedBefore, EtcdMemberState... members) {
    return new ClusterObservation(formedBefore, members.length == 0 ? 0 : 7, List.of(members), 1, List.of(), NOW);
  }

  @Test
  void aClusterThatNeverFormedStartsEveryDesiredMemberAsNew() {
    var layout = MembershipLayout.of(3, observation(false), ADDRESSES).orElseThrow();

    assertThat(layout.replicas()).isEqualTo(3);
    assertThat(layout.newCluster()).isTrue();
    assertThat(layout.initialCluster()).isEqualTo("c-0=http://c-0:2380,c-1=http://c-1:2380,c-2=http://c-2:2380");
  }

  @Test
  void onlyAMemberThatNeverStartedMayJoinUnderItsOwnName() {
    var layout = MembershipLayout.of(5, observation(true, member(0, true, false), member(1, true, false),
        member(2, true, false), member(3, false, true)), ADDRESSES).orElseThrow();

    assertThat(layout.newCluster()).isFalse();
    assertThat(layout.replicas()).as("the StatefulSet reaches the highest member, learners included").isEqualTo(4);
    assertThat(layout.initialCluster()).isEqualTo("c-0.established=http://c-0:2380,c-1.established=http://c-1:2380,"
        + "c-2.established=http://c-2:2380,c-3=http://c-3:2380");
  }

  @Test
  void theStatefulSetNeverExtendsPastTheHighestMember() {
    // c-1 was replaced (removed) and c-4 removed by a scale-down: no pod for c-4, c-1 keeps its place
    var layout = MembershipLayout.of(4, observation(true, member(0, true, false), member(2, true, false),
        member(3, true, false)), ADDRESSES).orElseThrow();

    assertThat(layout.replicas()).isEqualTo(4);
  }

  @Test
  void nothingChangesWhileNoMemberOfAFormedClusterAnswers() {
    assertThat(MembershipLayout.of(3, observation(true), ADDRESSES)).isEmpty();
  }

  /** Issue 13, defect 10: "with quorum lost nothing is applied" held only when no member answered. */
  @Test
  void withFewerHealthyVotersThanAQuorumNothingIsLaidOut() {
    var healthy = member(0, true, false);
    var down = new EtcdMemberState(2, "c-1", 1, true, false, false, 0, NOW, null);
    var alsoDown = new EtcdMemberState(3, "c-2", 2, true, false, false, 0, NOW, null);

    assertThat(MembershipLayout.of(3, observation(true, healthy, down, alsoDown), ADDRESSES)).isEmpty();
    assertThat(MembershipLayout.of(3, observation(true, healthy, member(1, true, false), alsoDown), ADDRESSES))
        .as("two of three keep the quorum").isPresent();
  }
}
