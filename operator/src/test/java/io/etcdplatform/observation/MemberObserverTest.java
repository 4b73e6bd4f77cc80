package io.etcdplatform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How one listed member and the answer of its URL become the member the planner sees. */
class MemberObserverTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final long ID = 0x1111;
  private static final long LEADER = 0x2222;

  private static final MemberObserver.Known PODS_UNKNOWN = MemberObserver.Known.etcdOnly(NOW);

  private static Member listed(long id) {
    return new Member(io.etcd.jetcd.api.Member.newBuilder().setID(id).setName("c-1")
        .addPeerURLs("http://c-1:2380").addClientURLs("http://c-1:2379").build());
  }

  private static StatusResponse answer(long fromMember, long leader, String... errors) {
    var status = io.etcd.jetcd.api.StatusResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(fromMember).setRevision(42).build())
        .setLeader(leader).setRaftIndex(100).setVersion("3.6.16").setDbSize(1 << 20);
    for (String error : errors) {
      status.addErrors(error);
    }
    return new StatusResponse(status.build());
  }

  @Test
  void aMemberThatAnswersWithALeaderIsHealthy() {
    EtcdMemberState state = MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER), PODS_UNKNOWN);

    assertThat(state.healthy()).isTrue();
    assertThat(state.raftIndex()).isEqualTo(100);
    assertThat(state.stats().version()).isEqualTo("3.6.16");
  }

  /** Issue 13, defect 7: any error but NOSPACE made a member unhealthy, so CORRUPT read as quorum loss. */
  @Test
  void alarmsAreNotHealthAMemberWithACorruptOrNoSpaceAlarmStillCounts() {
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER, "CORRUPT"), PODS_UNKNOWN).healthy())
        .isTrue();
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER, "NOSPACE", "CORRUPT"), PODS_UNKNOWN)
        .healthy()).isTrue();
  }

  /** Issue 13, defect 8: health was credited to whatever answered the member's URL. */
  @Test
  void anAnswerFromAnotherMemberIsCreditedToNobody() {
    EtcdMemberState state = MemberObserver.state(listed(ID), "c-1", 1, answer(0x9999, LEADER), PODS_UNKNOWN);

    assertThat(state.healthy()).isFalse();
    assertThat(state.stats()).isNull();
    assertThat(state.raftIndex()).isZero();
    assertThat(state.unhealthySince()).isEqualTo(NOW);
  }

  @Test
  void aMemberWithoutALeaderOrWithoutAnswerIsUnhealthy() {
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, 0), PODS_UNKNOWN).healthy()).isFalse();
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, null, PODS_UNKNOWN).healthy()).isFalse();
  }

  /**
   * Issue 13, defect 6: an initial member that has not started yet (a slow image pull, a volume
   * still attaching) was taken as established because etcd lists it by name, and then refused to
   * start under its own name.
   */
  @Test
  void onlyAMemberThatPublishedItsClientUrlsHasStarted() {
    Member neverStarted = new Member(io.etcd.jetcd.api.Member.newBuilder().setID(ID).setName("c-1")
        .addPeerURLs("http://c-1:2380").build());

    assertThat(MemberObserver.state(neverStarted, "c-1", 1, null, PODS_UNKNOWN).started()).isFalse();
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER), PODS_UNKNOWN).started()).isTrue();
  }

  /**
   * Issue 13, defect 4: a member on a lost node was never replaced: its Terminating pod was dropped
   * from the observation and its unhealthy time started again at every pass.
   */
  @Test
  void howLongAMemberHasBeenUnhealthySurvivesPassesAndRestarts() {
    Instant firstSeen = NOW.minus(Duration.ofMinutes(10));
    var known = MemberObserver.Known.pods(List.of(), Map.of(ID, firstSeen), NOW);

    assertThat(MemberObserver.state(listed(ID), "c-1", 1, null, known).unhealthySince()).isEqualTo(firstSeen);
    assertThat(MemberObserver.state(listed(0x7777), "c-1", 1, null, known).unhealthySince())
        .as("another member under the same name starts afresh").isEqualTo(NOW);
  }

  @Test
  void aMemberWhosePodIsTerminatingOrAbsentCountsAsFailed() {
    PodState terminating = new PodState("c-1", 1, true, true, NOW.minus(Duration.ofHours(1)), null, true);
    PodState running = new PodState("c-1", 1, true, true, NOW.minus(Duration.ofHours(1)), null, false);

    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER),
        MemberObserver.Known.pods(List.of(terminating), Map.of(), NOW)).healthy()).isFalse();
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER),
        MemberObserver.Known.pods(List.of(), Map.of(), NOW)).healthy()).isFalse();
    assertThat(MemberObserver.state(listed(ID), "c-1", 1, answer(ID, LEADER),
        MemberObserver.Known.pods(List.of(running), Map.of(), NOW)).healthy()).isTrue();
  }

  /** A learner's pod may have waited long before the learner was added: only when it was first seen counts. */
  @Test
  void aLearnersUnhealthyTimeIgnoresHowLongItsPodWaited() {
    Member learner = new Member(io.etcd.jetcd.api.Member.newBuilder().setID(ID).setIsLearner(true)
        .addPeerURLs("http://c-1:2380").build());
    PodState waitingPod = new PodState("c-1", 1, false, true, NOW.minus(Duration.ofHours(1)),
        NOW.minus(Duration.ofHours(1)));

    assertThat(MemberObserver.state(learner, "c-1", 1, null,
        MemberObserver.Known.pods(List.of(waitingPod), Map.of(), NOW)).unhealthySince()).isEqualTo(NOW);
  }
}
