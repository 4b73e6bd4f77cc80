package io.etcdplatform.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The maintenance planner and executor on three real etcd 3.6 processes, with a client throughout. */
class MaintenanceRealEtcdTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private AcknowledgedWrites writes;
  private final MaintenancePlanner planner = new MaintenancePlanner(1000);
  private final CompactionSpec noCompaction = new CompactionSpec();
  private final List<Defragmenting> timeline = new ArrayList<>();

  record Defragmenting(String member, long startNanos, long endNanos, boolean leading) {}

  private void start(TestInfo test, List<String> flags) {
    String name = test.getTestMethod().orElseThrow().getName();
    cluster = new EtcdProcessCluster("d", Path.of("target", "etcd-tests", name).toAbsolutePath(), 60,
        Binaries.etcd("etcd"));
    cluster.extraFlags(flags);
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    noCompaction.setEnabled(false);
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
  void fragmentationIsReclaimedFollowersFirstOneMemberAtATimeWithoutAFailedRequest(TestInfo test) throws Exception {
    start(test, List.of());
    fragment(40);
    Map<String, Long> before = dbSizes();
    String leader = driver.observe().leader().orElseThrow().name();
    writes = new AcknowledgedWrites(cluster.clientUrls());

    List<MaintenanceStep> steps = maintainUntilIdle(new DefragmentationSpec(), null, Alarm.Kind.NOSPACE);

    assertThat(steps).filteredOn(s -> s instanceof MaintenanceStep.Defragment).hasSize(3);
    assertThat(timeline).extracting(Defragmenting::member).last().as("the leader last").isEqualTo(leader);
    assertThat(timeline).as("defragmented while leading").noneMatch(Defragmenting::leading);
    assertThat(steps).filteredOn(s -> s instanceof MaintenanceStep.MoveLeader).as("leadership moved away first")
        .hasSize(1);
    assertThat(driver.observe().leader().orElseThrow().name()).isNotEqualTo(leader);
    for (int i = 1; i < timeline.size(); i++) {
      assertThat(timeline.get(i).startNanos()).as("one member at a time").isGreaterThan(timeline.get(i - 1).endNanos());
    }
    dbSizes().forEach((member, size) -> assertThat(size).as("%s's database", member).isLessThan(before.get(member) / 2));
    assertThat(writes.requests()).isPositive();
    assertThat(writes.failedAttempts()).as("failed requests during the defragmentation").isZero();
    assertThat(writes.stopAndFindMissing()).isEmpty();
  }

  @Test
  void aClusterWithAnUnhealthyMemberIsNotDefragmentedAtAll(TestInfo test) throws Exception {
    start(test, List.of());
    fragment(40);
    cluster.crash("d-1");
    await().atMost(TIMEOUT).until(() -> {
      ClusterObservation observation = driver.observe();
      return observation.leader().isPresent()
          && observation.members().stream().filter(m -> m.name().equals("d-1")).noneMatch(EtcdMemberState::healthy);
    });

    // while a new leader is elected the planner idles ("no leader") and the alarm list (a raft
    // request) may find none within its deadline; then it must wait, not defragment
    var plan = await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(EtcdUnavailableException.class)
        .until(() -> plan(new DefragmentationSpec(), null, new MaintenanceStatus()),
            p -> !(p.step() instanceof MaintenanceStep.Idle));

    assertThat(plan.step()).isInstanceOf(MaintenanceStep.Waiting.class);
    assertThat(plan.step().reason()).contains("d-1 is not healthy");
  }

  @Test
  void noSpaceIsRecoveredAndNothingAcknowledgedIsLost(TestInfo test) throws Exception {
    start(test, List.of("--quota-backend-bytes=" + 16 * 1024 * 1024));
    writes = new AcknowledgedWrites(cluster.clientUrls());
    await().atMost(TIMEOUT).until(() -> writes.count() > 100);
    try (Client client = client()) {
      ByteSequence big = ByteSequence.from(new byte[256 * 1024]);
      assertThatThrownBy(() -> {
        for (int i = 0; i < 1000; i++) {
          client.getKVClient().put(key("big-" + (i % 4)), big).get(5, TimeUnit.SECONDS);
        }
      }).hasMessageContaining("database space exceeded");
    }
    assertThat(alarms()).isNotEmpty().allMatch(a -> a.kind() == Alarm.Kind.NOSPACE);

    List<MaintenanceStep> steps = maintainUntilIdle(new DefragmentationSpec(), null, null);

    assertThat(steps.stream().map(s -> s.getClass().getSimpleName()).toList())
        .containsExactly("Compact", "Defragment", "Defragment", "MoveLeader", "Defragment", "DisarmNoSpace");
    assertThat(alarms()).isEmpty();
    try (Client client = client()) {
      client.getKVClient().put(key("after-recovery"), ByteSequence.from("ok".getBytes())).get(5, TimeUnit.SECONDS);
    }
    int acknowledged = writes.count();
    await().atMost(TIMEOUT).until(() -> writes.count() > acknowledged + 20);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  /** Plans and carries out maintenance until nothing is due; returns the actions taken. */
  private List<MaintenanceStep> maintainUntilIdle(DefragmentationSpec spec, String request, Alarm.Kind unexpectedAlarm)
      throws Exception {
    MaintenanceStatus status = new MaintenanceStatus();
    List<MaintenanceStep> actions = new ArrayList<>();
    MaintenanceExecutor executor = new MaintenanceExecutor(cluster, ClientEndpoints.NONE, Clock.systemUTC());
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      ClusterObservation observation = driver.observe();
      List<Alarm> alarms = alarms();
      assertThat(alarms).extracting(Alarm::kind).doesNotContain(unexpectedAlarm);
      var plan = planner.next(new MaintenancePlanner.Input(noCompaction, spec, false, 0, observation, alarms, status,
          request, Instant.now(), Optional.empty()));
      status = plan.status();
      MaintenanceStep step = plan.step();
      if (step instanceof MaintenanceStep.Idle && !step.reason().startsWith("no leader")) {
        return actions;
      }
      if (step instanceof MaintenanceStep.Action action) {
        actions.add(step);
        long start = System.nanoTime();
        boolean leading = step instanceof MaintenanceStep.Defragment d && observation.leader().orElseThrow().name()
            .equals(d.member());
        status = executor.execute(action, observation, driver.connection(), Duration.ofSeconds(60)).recordedIn(status);
        if (step instanceof MaintenanceStep.Defragment d) {
          timeline.add(new Defragmenting(d.member(), start, System.nanoTime(), leading));
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError("maintenance not done within " + TIMEOUT + ": " + actions);
  }

  private MaintenancePlanner.Plan plan(DefragmentationSpec spec, String request, MaintenanceStatus status) {
    return planner.next(new MaintenancePlanner.Input(noCompaction, spec, false, 0, driver.observe(), alarms(), status,
        request, Instant.now(), Optional.empty()));
  }

  private List<Alarm> alarms() {
    ClusterObservation observation = driver.observe();
    return driver.connection().alarms().stream()
        .map(a -> new Alarm(observation.members().stream().filter(m -> m.id() == a.memberId())
            .map(EtcdMemberState::name).findFirst().orElse("?"), a.kind()))
        .toList();
  }

  /** Writes {@code megabytes} of values, overwrites them twice, and compacts: two thirds of each file is free. */
  private void fragment(int megabytes) throws Exception {
    try (Client client = client()) {
      byte[] value = new byte[64 * 1024];
      long revision = 0;
      for (int round = 0; round < 3; round++) {
        Arrays.fill(value, (byte) round);
        for (int i = 0; i < megabytes * 16; i++) {
          revision = client.getKVClient().put(key("frag-" + i), ByteSequence.from(value)).get(5, TimeUnit.SECONDS)
              .getHeader().getRevision();
        }
      }
      driver.connection().compact(revision, Duration.ofSeconds(60));
    }
  }

  private Map<String, Long> dbSizes() {
    return driver.observe().members().stream().collect(Collectors.toMap(EtcdMemberState::name, m -> m.stats().dbSize()));
  }

  private Client client() {
    return Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build();
  }

  private static ByteSequence key(String key) {
    return ByteSequence.from(key.getBytes());
  }
}
