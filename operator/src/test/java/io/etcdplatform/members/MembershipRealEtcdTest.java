package io.etcdplatform.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.members.Step.MoveLeader;
import io.etcdplatform.members.Step.RemoveMember;
import io.etcdplatform.members.Step.ReplaceMember;
import io.etcdplatform.members.Step.RestartMember;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import io.etcdplatform.testing.AnswersLost;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The planner, observer and executor driving real etcd processes (the pinned 3.5 and 3.6 builds)
 * on loopback addresses, with a client writing throughout: every acknowledged write must survive
 * every scenario, and the members' key-value hashes must agree at the end.
 */
class MembershipRealEtcdTest {

  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);
  private static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 1000);

  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private AcknowledgedWrites writes;

  private void start(TestInfo test, Path etcd, int members) {
    start(test, etcd, members, SETTINGS);
  }

  private void start(TestInfo test, Path etcd, int members, PlannerSettings settings) {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("m", Path.of("target", "etcd-tests", name).toAbsolutePath(), 50, etcd);
    driver = new MembershipDriver(cluster, settings);
    converge(members);
    writes = new AcknowledgedWrites(cluster.clientUrls());
  }

  @AfterEach
  void stop() {
    if (writes != null) {
      writes.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void scalesThreeToFiveAndBackWithoutLosingAWrite(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3);
    Set<Long> original = memberIds();

    List<Step> up = converge(5);
    assertThat(up).filteredOn(s -> s instanceof Step.AddLearner).hasSize(2);
    assertThat(up).filteredOn(s -> s instanceof Step.PromoteLearner).hasSize(2);
    assertThat(memberIds()).hasSize(5).containsAll(original);

    List<Step> down = converge(3);
    assertThat(down).filteredOn(s -> s instanceof RemoveMember).extracting(s -> ((RemoveMember) s).name())
        .containsExactly("m-4", "m-3");
    assertThat(memberIds()).isEqualTo(original);
    assertNothingLostAndMembersAgree();
  }

  @Test
  void replacesAMemberThatLostItsData(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3);
    long before = member("m-1").id();

    cluster.crashAndWipe("m-1");
    List<Step> steps = converge(3);

    assertThat(steps).anyMatch(s -> s instanceof ReplaceMember r && r.name().equals("m-1"));
    assertThat(member("m-1").id()).isNotEqualTo(before);
    assertThat(member("m-1").learner()).isFalse();
    assertNothingLostAndMembersAgree();
  }

  /**
   * Issue 13, defect 3: a replacement cut short between its sub-steps (the operator killed, an API
   * call failing) must never leave a member's pod on the data of a removed member. The failed
   * member keeps its data here (it is down, not wiped); the first replacement dies before its
   * first sub-step, the second after deleting the data: the passes that follow still converge.
   */
  @Test
  void aReplacementCutShortAtEachStepBoundaryStillConverges(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("m", Path.of("target", "etcd-tests", name).toAbsolutePath(), 50,
        Binaries.etcd("etcd"));
    FaultyPods pods = new FaultyPods(cluster);
    driver = new MembershipDriver(cluster, SETTINGS, pods);
    converge(3);
    writes = new AcknowledgedWrites(cluster.clientUrls());
    long before = member("m-1").id();
    if (before == observe().leaderId()) {
      // a killed leader leaves no healthy voter until the election ends: this test is about the replacement
      connection().moveLeader(cluster.clientUrl("m-1"), member("m-0").id());
    }

    cluster.blockStart(1, true);
    cluster.crash("m-1"); // down for longer than the grace period, its data kept
    pods.failNextReplacement(true, false);
    pods.failNextReplacement(false, true);
    assertThatThrownBy(() -> driver.converge(3, Duration.ofSeconds(40))).isInstanceOf(AssertionError.class);
    assertThat(pods.faults()).isEqualTo(2);
    cluster.blockStart(1, false);
    converge(3);

    assertThat(member("m-1").id()).isNotEqualTo(before);
    assertThat(member("m-1").learner()).isFalse();
    assertNothingLostAndMembersAgree();
  }

  /** The member processes, failing a replacement's data deletion once before or after it ran. */
  private static final class FaultyPods implements MemberPods {
    private final EtcdProcessCluster cluster;
    private final java.util.Deque<boolean[]> faults = new java.util.ArrayDeque<>();
    private int fired;

    FaultyPods(EtcdProcessCluster cluster) {
      this.cluster = cluster;
    }

    synchronized void failNextReplacement(boolean before, boolean after) {
      faults.add(new boolean[] {before, after});
    }

    synchronized int faults() {
      return fired;
    }

    public void restart(String member) {
      cluster.restart(member);
    }

    public void restartOnlyMember(String member) {
      cluster.restartOnlyMember(member);
    }

    public void forceDeleteWithData(String member) {
      cluster.forceDeleteWithData(member);
    }

    public synchronized void deleteWithData(String member) {
      boolean[] fault = faults.poll();
      if (fault != null && fault[0]) {
        fired++;
        throw new IllegalStateException("the operator died before deleting the data of " + member);
      }
      cluster.deleteWithData(member);
      if (fault != null && fault[1]) {
        fired++;
        throw new IllegalStateException("the operator died after deleting the data of " + member);
      }
    }
  }

  /**
   * Issue 13, faults at every step boundary: every membership action (add, promote, move the
   * leader, remove, replace, restart) takes effect and then loses its answer, or the operator is
   * killed right after it, once for each member it touches; the passes that follow observe what
   * happened and converge, losing no acknowledged write.
   */
  @Test
  void everyActionThatTookEffectAndLostItsAnswerIsCompletedByTheNextPasses(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("m", Path.of("target", "etcd-tests", name).toAbsolutePath(), 50,
        Binaries.etcd35("etcd"));
    AnswersLost faults = new AnswersLost(cluster);
    driver = new MembershipDriver(cluster, SETTINGS, faults, faults::around);
    converge(3);
    writes = new AcknowledgedWrites(cluster.clientUrls());

    converge(5);
    awaitReconfigurationAllowed(() -> connection().moveLeader(
        cluster.clientUrl(observe().leader().orElseThrow().name()), member("m-4").id()));
    converge(3);
    cluster.crashAndWipe("m-1");
    converge(3);
    cluster.useBinary(Binaries.etcd("etcd"));
    converge(3);

    assertThat(faults.faultedKinds())
        .containsExactlyInAnyOrder("addLearner", "promote", "moveLeader", "remove", "deleteWithData", "restart");
    assertThat(faults.faults()).filteredOn(f -> f.startsWith("restart ")).hasSize(3);
    assertThat(observe().voters()).extracting(EtcdMemberState::name).containsExactlyInAnyOrder("m-0", "m-1", "m-2");
    assertThat(observe().learners()).isEmpty();
    assertNothingLostAndMembersAgree();
  }

  @Test
  void movesLeadershipAwayBeforeRemovingTheHighestMember(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3);
    ClusterObservation observation = observe();
    connection().moveLeader(cluster.clientUrl(observation.leader().orElseThrow().name()), member("m-2").id());
    assertThat(observe().leader().map(EtcdMemberState::name)).contains("m-2");

    List<Step> steps = converge(2);

    int move = indexOf(steps, MoveLeader.class);
    int remove = indexOf(steps, RemoveMember.class);
    assertThat(move).isNotNegative().isLessThan(remove);
    assertThat(((RemoveMember) steps.get(remove)).name()).isEqualTo("m-2");
    assertThat(observe().voters()).extracting(EtcdMemberState::name).containsExactlyInAnyOrder("m-0", "m-1");
    assertNothingLostAndMembersAgree();
  }

  @Test
  void upgradesFrom35To36OneMemberAtATimeLeaderLast(TestInfo test) throws Exception {
    start(test, Binaries.etcd35("etcd"), 3);
    String leader = observe().leader().orElseThrow().name();

    cluster.useBinary(Binaries.etcd("etcd"));
    List<Step> steps = converge(3);

    List<String> restarted = steps.stream().filter(s -> s instanceof RestartMember)
        .map(s -> ((RestartMember) s).name()).toList();
    assertThat(restarted).hasSize(3).doesNotHaveDuplicates();
    assertThat(restarted.get(2)).as("the leader restarts last").isEqualTo(leader);
    assertThat(indexOf(steps, MoveLeader.class)).isLessThan(steps.indexOf(steps.stream()
        .filter(s -> s instanceof RestartMember r && r.name().equals(leader)).findFirst().orElseThrow()));
    for (EtcdMemberState member : observe().voters()) {
      assertThat(connection().status(cluster.clientUrl(member.name())).getVersion()).startsWith("3.6.");
    }
    assertNothingLostAndMembersAgree();
  }

  @Test
  void completesAScaleUpInterruptedRightAfterTheMemberWasAdded(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3);
    // the operator stopped after MemberAdd, before the StatefulSet grew; by the time it is back,
    // every member has applied the change (a member list is served from the local member's view)
    awaitReconfigurationAllowed(() -> connection().addLearner(cluster.peerUrl("m-3")));
    awaitEveryMemberLists(cluster.peerUrl("m-3"));

    List<Step> steps = converge(4);

    assertThat(steps).noneMatch(s -> s instanceof Step.AddLearner);
    assertThat(steps).anyMatch(s -> s instanceof Step.PromoteLearner p && p.name().equals("m-3"));
    assertThat(observe().voters()).hasSize(4);
    assertNothingLostAndMembersAgree();
  }

  @Test
  void completesAScaleDownInterruptedRightAfterTheMemberWasRemoved(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3);
    EtcdMemberState highest = member("m-2");
    if (highest.id() == observe().leaderId()) {
      connection().moveLeader(cluster.clientUrl("m-2"), member("m-0").id());
    }
    // the operator stopped after MemberRemove, before the StatefulSet shrank: the pod still exists
    awaitReconfigurationAllowed(() -> connection().remove(highest.id()));

    List<Step> steps = converge(2);

    assertThat(steps).noneMatch(s -> s instanceof RemoveMember);
    assertThat(cluster.podStates()).extracting(PodState::name).containsExactly("m-0", "m-1");
    assertNothingLostAndMembersAgree();
  }

  @Test
  void replacesALearnerWhosePodNeverStartsAndAddsItAgain(TestInfo test) throws Exception {
    start(test, Binaries.etcd("etcd"), 3,
        new PlannerSettings(SETTINGS.failedMemberGrace(), Duration.ofSeconds(3), SETTINGS.maxRaftLag()));
    cluster.blockStart(3, true);

    assertThatThrownBy(() -> driver.converge(4, Duration.ofSeconds(20))).isInstanceOf(AssertionError.class);
    assertThat(driver.history()).anyMatch(s -> s instanceof ReplaceMember r && r.name().equals("m-3"));

    cluster.blockStart(3, false);
    converge(4);
    assertThat(member("m-3").learner()).isFalse();
    assertNothingLostAndMembersAgree();
  }

  /** Until each member's own view (what a member list serves) has the member of {@code peerUrl}. */
  private void awaitEveryMemberLists(String peerUrl) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    for (String member : List.of("m-0", "m-1", "m-2")) {
      try (EtcdConnection one = new EtcdConnection(List.of(cluster.clientUrl(member)), Duration.ofSeconds(5))) {
        while (one.memberList().getMembers().stream().noneMatch(m -> m.getPeerURIs().stream()
            .anyMatch(uri -> uri.toString().equals(peerUrl)))) {
          assertThat(Instant.now()).as(member + " lists " + peerUrl + " in time").isBefore(deadline);
          Thread.sleep(100);
        }
      }
    }
  }

  /** etcd refuses reconfiguration for a few seconds after a member starts; a person would retry too. */
  private static void awaitReconfigurationAllowed(Runnable change) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      try {
        change.run();
        return;
      } catch (EtcdUnavailableException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private List<Step> converge(int desired) {
    return driver.converge(desired, SCENARIO_TIMEOUT);
  }

  private ClusterObservation observe() {
    return driver.observe();
  }

  private EtcdConnection connection() {
    return driver.connection();
  }

  private EtcdMemberState member(String name) {
    return observe().members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  private Set<Long> memberIds() {
    Set<Long> ids = new HashSet<>();
    observe().members().forEach(m -> ids.add(m.id()));
    return ids;
  }

  private void assertNothingLostAndMembersAgree() throws Exception {
    assertThat(writes.count()).as("writes acknowledged during the scenario").isPositive();
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
    ClusterObservation observation = observe();
    long revision = connection().status(cluster.clientUrl(observation.leader().orElseThrow().name()))
        .getHeader().getRevision();
    Set<Long> hashes = new HashSet<>();
    for (EtcdMemberState member : observation.members()) {
      hashes.add(connection().hashKv(cluster.clientUrl(member.name()), revision).hash());
    }
    assertThat(hashes).as("HashKV of every member at revision %d", revision).hasSize(1);
  }

  private static int indexOf(List<Step> steps, Class<? extends Step> type) {
    for (int i = 0; i < steps.size(); i++) {
      if (type.isInstance(steps.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
