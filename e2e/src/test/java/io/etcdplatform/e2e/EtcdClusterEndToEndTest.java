package io.etcdplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus.Phase;
import io.etcdplatform.api.v1alpha1.MemberStatus.Role;
import io.etcdplatform.e2e.env.LocalCluster;
import io.etcdplatform.e2e.env.OperatorJar;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.Conditions;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.etcdplatform.testkit.Binaries;
import io.etcdplatform.testkit.Edits;
import io.etcdplatform.testkit.Waits;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator, as its own process, on the local Kubernetes environment: real kube-apiserver and
 * controllers, member pods run as real etcd processes by the node agent, names resolved only
 * through the agent's hosts file. It acts as the chart's service account, with the chart's RBAC
 * (installed by helm with no operator pod), so every scenario here shows that RBAC is enough.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdClusterEndToEndTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final Path OPERATOR_LOG = Path.of("target", "operator.log").toAbsolutePath();
  private static LocalCluster env;
  private static Path kubeconfig;
  private static OperatorProcess operator;
  private static AcknowledgedWrites writes;
  /** A finalizer of this test's: the pod it holds stays Terminating until the test lets go. */
  private static final String HOLD = "e2e.etcdplatform.io/hold";

  @BeforeAll
  static void start() throws Exception {
    // this JVM's writers resolve member and Service names whose addresses change with their pods
    java.security.Security.setProperty("networkaddress.cache.ttl", "1");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    Path work = Path.of("target", "env").toAbsolutePath();
    env = LocalCluster.start(work);
    Files.deleteIfExists(OPERATOR_LOG);
    kubeconfig = OperatorProcess.chartServiceAccountKubeconfig(env, work);
    operator = startOperator();
  }

  /** The operator as its own process, as in a pod; restarted between two steps by two tests. */
  private static OperatorProcess startOperator() throws Exception {
    return OperatorProcess.start(OperatorJar.built(), kubeconfig, env.agent().hostsFile(),
        Map.of("HTTP_PORT", "0",
            "POD_NAMESPACE", OperatorProcess.CHART_NAMESPACE,
            "PROGRESS_INTERVAL_SECONDS", "2",
            "HEALTH_INTERVAL_SECONDS", "10",
            "FAILED_MEMBER_GRACE_SECONDS", "20",
            "LEARNER_START_TIMEOUT_SECONDS", "120"),
        OPERATOR_LOG);
  }

  @AfterAll
  static void stop() {
    if (writes != null) {
      writes.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void theExampleBecomesAvailableAndServesDataThroughItsClientService() throws Exception {
    try (InputStream example = Files.newInputStream(Binaries.repositoryRoot().resolve("examples/etcd-cluster.yaml"))) {
      env.client().load(example).inNamespace("default").serverSideApply();
    }

    EtcdCluster running = awaitPhase(Phase.Running, 3);

    assertThat(running.getStatus().getMembers()).hasSize(3);
    assertThat(running.getStatus().getLeader()).startsWith("example-");
    assertThat(running.getStatus().getVersion()).isEqualTo("3.6.16");
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    await().atMost(Duration.ofSeconds(30)).until(() -> writes.count() > 10);
  }

  @Test
  @Order(2)
  void scalesToFiveAndBackToThreeWithoutLosingAWrite() throws Exception {
    setReplicas(5);
    assertThat(awaitPhase(Phase.Running, 5).getStatus().getMembers()).hasSize(5);

    setReplicas(3);
    EtcdCluster three = awaitPhase(Phase.Running, 3);
    assertThat(three.getStatus().getMembers()).extracting(m -> m.getName())
        .containsExactlyInAnyOrder("example-0", "example-1", "example-2");
    await().atMost(TIMEOUT).until(() -> env.client().persistentVolumeClaims().inNamespace("default")
        .withName("data-example-4").get() == null);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  /**
   * 5 -> 3 -> 5 while the removed example-3's pod is still Terminating (held by a finalizer, as a
   * pod on a slow or unreachable node is): the StatefulSet controller keeps the claim of a pod it
   * still sees once the set grows again, and a member added under that name must not start on
   * the data its removed predecessor left there.
   */
  @Test
  @Order(3)
  void scalesToFiveAgainWhileTheRemovedMembersPodIsTerminatingAndEveryMemberVotes() throws Exception {
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    setReplicas(5);
    awaitPhase(Phase.Running, 5);
    String earlierClaim = claimUid("data-example-3");
    Edits.edit(env.client().pods().inNamespace("default").withName("example-3"), p -> {
      p.getMetadata().getFinalizers().add(HOLD);
      return p;
    });
    try {
      setReplicas(3);
      awaitPhase(Phase.Running, 3);
      await().atMost(TIMEOUT).until(() -> env.client().pods().inNamespace("default").withName("example-3").get()
          .getMetadata().getDeletionTimestamp() != null);
      setReplicas(5);
      // the operator acted on the scale-up: it grew the StatefulSet, or it says what it waits for
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
          env.client().apps().statefulSets().inNamespace("default").withName("example").get().getSpec()
              .getReplicas() > 3 || Conditions.find(cluster().getStatus().getConditions(), Conditions.PROGRESSING)
              .getMessage().contains("example-3"));
    } finally {
      Edits.edit(env.client().pods().inNamespace("default").withName("example-3"), p -> {
        p.getMetadata().getFinalizers().remove(HOLD);
        return p;
      });
    }

    EtcdCluster five = awaitPhase(Phase.Running, 5);
    assertThat(five.getStatus().getMembers()).extracting(m -> m.getName())
        .containsExactlyInAnyOrder("example-0", "example-1", "example-2", "example-3", "example-4");
    assertThat(five.getStatus().getMembers()).extracting(m -> m.getRole()).doesNotContain(Role.Learner);
    assertThat(claimUid("data-example-3")).as("the re-added example-3 on a new claim").isNotEqualTo(earlierClaim);
    setReplicas(3);
    awaitPhase(Phase.Running, 3);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  @Test
  @Order(4)
  void aCrashedMemberComesBack() throws Exception {
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    env.agent().crash("default", "example-1", "etcd");

    await().atMost(TIMEOUT).until(() -> restarts("example-1") > 0);
    awaitPhase(Phase.Running, 3);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  @Test
  @Order(5)
  void aMemberWhoseDataIsWipedIsReplaced() throws Exception {
    String before = loseTheDataOf("example-2");

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> memberId("example-2"), id -> id != null && !id.equals(before));
    awaitPhase(Phase.Running, 3);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  /**
   * A data directory another user owns (0700): etcd, running as the pod's user, cannot use it and
   * exits, as it would on a cluster (fsGroupChangePolicy OnRootMismatch leaves the claim's root,
   * still right, alone); the status and a Warning Event say which member and what etcd said, and
   * the member is replaced once its grace period is over.
   */
  @Test
  @Order(6)
  void aMemberWhoseDataDirectoryIsAnotherUsersFailsAndTheStatusSaysWhy() throws Exception {
    String before = memberId("example-1");
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    Path data = claimDirectory("data-example-1").resolve("data");
    Files.setAttribute(data, "unix:uid", 4242);
    Files.setAttribute(data, "unix:gid", 4242);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    env.agent().crash("default", "example-1", "etcd");

    EtcdCluster reported = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)),
        resource("example"), c -> {
          var degraded = Conditions.find(c.getStatus().getConditions(), Conditions.DEGRADED);
          return degraded != null && degraded.getMessage().contains("example-1: etcd exited with code 1")
              && degraded.getMessage().contains("permission denied");
        });
    assertThat(Conditions.find(reported.getStatus().getConditions(), Conditions.DEGRADED).getStatus())
        .isEqualTo("True");
    assertThat(env.client().v1().events().inNamespace("default").list().getItems())
        .filteredOn(e -> "MemberCrashLooping".equals(e.getReason()) && "example".equals(e.getInvolvedObject().getName()))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).startsWith("example-1: etcd exited with code 1").contains("permission denied");
        });

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> memberId("example-1"), id -> id != null && !id.equals(before));
    awaitPhase(Phase.Running, 3);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  @Test
  @Order(7)
  void aNewOperatorFinishesAScaleUpTheOldOneLeftHalfDone() throws Exception {
    setReplicas(4);
    Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)), resource("example"),
        c -> c.getStatus().getMembers().size() == 4);
    operator.close(); // between MemberAdd and the learner's promotion
    operator = startOperator();

    awaitPhase(Phase.Running, 4);
    setReplicas(3);
    awaitPhase(Phase.Running, 3);
  }

  @Test
  @Order(8)
  void aNewOperatorFinishesAReplacementTheOldOneLeftHalfDone() throws Exception {
    String before = loseTheDataOf("example-1");
    // the old member leaves etcd (ReplaceMember): stop the operator before it adds the member back
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> !before.equals(memberId("example-1")));
    operator.close();
    operator = startOperator();

    EtcdCluster running = awaitPhase(Phase.Running, 3);
    assertThat(memberId(running, "example-1")).isNotEqualTo(before);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  @Test
  @Order(9)
  void kubectlEtcdDefragTakesEachMemberOutOfTheClientServiceNeverTheLeaderWhileItLeadsAndNoRequestFails() throws Exception {
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    String leader = awaitPhase(Phase.Running, 3).getStatus().getLeader();
    Cli kubectl = Cli.kubectlWithPlugin(env.controlPlane().kubeconfig(), Binaries.repositoryRoot(), OperatorJar.built());
    Instant requested = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    // the plugin annotates etcdplatform.io/defragment and follows the round to its end, while the
    // client Service's endpoints and the leader are sampled
    Cli.Result defrag;
    List<RoundSample> samples;
    try (RoundSampler sampler = new RoundSampler("example")) {
      defrag = kubectl.attempt("etcd", "defrag", "example", "--timeout", "4m");
      samples = sampler.samples();
    }

    assertThat(defrag.exitCode()).as(defrag.output()).isZero();
    assertThat(defrag.output()).contains("defragmenting example: ").contains("every member of example defragmented");
    EtcdCluster done = resource("example").get();
    assertThat(Instant.parse(done.getStatus().getMaintenance().getDefragmentationRequest())).isAfterOrEqualTo(requested);

    var defragmentations = done.getStatus().getMaintenance().getDefragmentations();
    assertThat(defragmentations).extracting(d -> d.getMember())
        .containsExactlyInAnyOrder("example-0", "example-1", "example-2");
    assertThat(defragmentations).allMatch(d -> !Instant.parse(d.getTime()).isBefore(requested));
    assertThat(defragmentations).filteredOn(d -> d.getMember().equals(leader)).singleElement()
        .satisfies(l -> assertThat(defragmentations).allMatch(d -> d.getTime().compareTo(l.getTime()) <= 0));
    assertThat(env.client().v1().events().inNamespace("default").list().getItems())
        .filteredOn(e -> "Defragmented".equals(e.getReason()) && "example".equals(e.getInvolvedObject().getName()))
        .hasSizeGreaterThanOrEqualTo(3);
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
    assertThat(writes.failedAttempts()).as("requests through the client Service that failed").isZero();
    for (String member : List.of("example-0", "example-1", "example-2")) {
      assertThat(samples).as("%s held out of the client Service at its turn", member)
          .anyMatch(sample -> sample.heldOut().contains(member) && !sample.endpoints().contains(member));
    }
    assertThat(samples).filteredOn(sample -> sample.heldOut().contains(leader))
        .as("%s, the leader when the round began, did not lead while out for its defragmentation", leader)
        .isNotEmpty().allMatch(sample -> !leader.equals(sample.leader()));
    // the round moved leadership off the leader first: recorded as a planned move, with a Normal Event
    EtcdCluster explained = Waits.until(await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)),
        resource("example"), c -> c.getStatus().getLeaderChanges() != null && c.getStatus().getLeaderChanges().stream()
            .anyMatch(change -> leader.equals(change.getFrom()) && !Instant.parse(change.getTime()).isBefore(requested)));
    assertThat(explained.getStatus().getLeaderChanges()).filteredOn(change -> leader.equals(change.getFrom()))
        .first().satisfies(change -> assertThat(change.getCause()).as(String.valueOf(change.getEvidence()))
            .isEqualTo("PlannedMove"));
    assertThat(env.client().v1().events().inNamespace("default").list().getItems())
        .filteredOn(e -> "LeaderChanged".equals(e.getReason()) && "example".equals(e.getInvolvedObject().getName()))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Normal");
          assertThat(e.getMessage()).startsWith("leader moved from " + leader).contains("PlannedMove");
        });
    await("every member back in the endpoints").atMost(Duration.ofSeconds(60)).until(() ->
        RoundSampler.readyEndpoints("example").containsAll(List.of("example-0", "example-1", "example-2")));
    System.out.printf("[defragmentation-round] %d requests through the client Service, %d failed, p99 %.1f ms,"
        + " max %.1f ms%n", writes.requests(), writes.failedAttempts(), writes.p99Millis(), writes.maxMillis());
    String status = kubectl.run("etcd", "status", "example");
    assertThat(status).containsPattern("example +Running +3/3 +3.6.16 +example-")
        .containsPattern(leader + " +(Leader|Follower) +true +3.6.16 ").contains("Alarms:               none")
        .contains("Last defragmentation: example-");
    assertThat(kubectl.run("etcd", "status", "example", "-o", "json")).containsPattern("\"kind\" ?: ?\"EtcdCluster\"");
    assertThat(kubectl.run("etcd", "diagnose", "example")).containsPattern("Available +True +AllMembersHealthy");

    // a keyspace inspection on demand: counted on a follower, in the status, an Event and diagnose
    Edits.annotate(resource("example"), "etcdplatform.io/inspect-keyspace", requested.toString());
    EtcdCluster inspected = Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)),
        resource("example"), c -> c.getStatus().getKeyspace() != null
            && requested.toString().equals(c.getStatus().getKeyspace().getRequest()));
    var keyspace = inspected.getStatus().getKeyspace();
    assertThat(keyspace.getPartial()).isFalse();
    assertThat(keyspace.getTotalKeys()).as("the writer's keys at least").isGreaterThanOrEqualTo(writes.count());
    assertThat(keyspace.getPrefixes().get(0).getKeys()).isGreaterThanOrEqualTo(writes.count());
    assertThat(keyspace.getMember()).as("read from a follower").isNotEqualTo(inspected.getStatus().getLeader())
        .startsWith("example-");
    assertThat(env.client().v1().events().inNamespace("default").list().getItems())
        .filteredOn(e -> "KeyspaceInspected".equals(e.getReason()) && "example".equals(e.getInvolvedObject().getName()))
        .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("keys, largest")
            .contains("read from " + keyspace.getMember()));
    assertThat(kubectl.run("etcd", "diagnose", "example")).contains("Keyspace:             " + keyspace.getTotalKeys()
        + " keys at " + keyspace.getMeasuredAt());
    Cli.Result missing = kubectl.attempt("etcd", "status", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("error: EtcdCluster nope not found in namespace default");
    assertThat(kubectl.attempt("etcd", "defrag").exitCode()).as("a command line that cannot run").isEqualTo(2);
  }

  @Test
  @Order(10)
  void deletingTheClusterRemovesItsObjectsAndRetainsItsClaims() {
    env.client().resources(EtcdCluster.class).inNamespace("default").withName("example").delete();

    await().atMost(TIMEOUT).until(() -> env.client().pods().inNamespace("default")
        .withLabel("app.kubernetes.io/instance", "example").list().getItems().isEmpty()
        && env.client().apps().statefulSets().inNamespace("default").withName("example").get() == null
        && env.client().services().inNamespace("default").withLabel("app.kubernetes.io/instance", "example")
            .list().getItems().isEmpty());
    assertThat(env.client().persistentVolumeClaims().inNamespace("default").withName("data-example-0").get())
        .as("spec.storage.retentionPolicyOnDelete defaults to Retain").isNotNull();
  }

  @Test
  @Order(11)
  void upgradesFrom35To36OneMemberAtATime() throws Exception {
    EtcdCluster old = new EtcdCluster();
    old.getMetadata().setName("upgrade");
    old.getMetadata().setNamespace("default");
    old.getSpec().setVersion("3.5.35");
    env.client().resource(old).create();
    EtcdCluster before = awaitPhase("upgrade", Phase.Running, 3);
    assertThat(before.getStatus().getVersion()).isEqualTo("3.5.35");
    writes = new AcknowledgedWrites(List.of("http://upgrade-client.default.svc:2379"));

    Edits.edit(env.client().resources(EtcdCluster.class).inNamespace("default").withName("upgrade"), c -> {
      c.getSpec().setVersion("3.6.16");
      return c;
    });

    await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .until(() -> "3.6.16".equals(get("upgrade").getStatus().getVersion()));
    EtcdCluster upgraded = awaitPhase("upgrade", Phase.Running, 3);
    assertThat(upgraded.getStatus().getMembers()).allMatch(m -> m.getVersion().equals("3.6.16"));
    assertThat(writes.stopAndFindMissing()).as("acknowledged writes missing").isEmpty();
  }

  @Test
  @Order(12)
  void theOperatorWasRefusedNothingByTheChartsRbac() throws Exception {
    assertThat(Files.readString(OPERATOR_LOG)).doesNotContainIgnoringCase("forbidden");
  }

  /** Starts a writer, then wipes a member's claim and crashes it; returns its member ID before. */
  private static String loseTheDataOf(String member) {
    String before = memberId(member);
    writes = new AcknowledgedWrites(List.of("http://example-client.default.svc:2379"));
    env.agent().wipeClaim("default", "data-" + member);
    env.agent().crash("default", member, "etcd");
    return before;
  }

  /** Where the node agent keeps the claim's volume on this machine. */
  private static Path claimDirectory(String claim) {
    String volume = env.client().persistentVolumeClaims().inNamespace("default").withName(claim).get().getSpec()
        .getVolumeName();
    return Path.of(env.client().persistentVolumes().withName(volume).get().getSpec().getHostPath().getPath());
  }

  private static String claimUid(String claim) {
    return env.client().persistentVolumeClaims().inNamespace("default").withName(claim).get().getMetadata().getUid();
  }

  private static EtcdCluster get(String name) {
    return resource(name).get();
  }

  private static Resource<EtcdCluster> resource(String name) {
    return env.client().resources(EtcdCluster.class).inNamespace("default").withName(name);
  }

  private static EtcdCluster cluster() {
    return env.client().resources(EtcdCluster.class).inNamespace("default").withName("example").get();
  }

  private static String memberId(String name) {
    return memberId(cluster(), name);
  }

  private static String memberId(EtcdCluster cluster, String name) {
    var members = cluster.getStatus().getMembers();
    return members == null ? null : members.stream().filter(m -> name.equals(m.getName()))
        .map(m -> m.getId()).findFirst().orElse(null);
  }

  private static int restarts(String pod) {
    var status = env.client().pods().inNamespace("default").withName(pod).get().getStatus();
    return status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty() ? 0
        : status.getContainerStatuses().get(0).getRestartCount();
  }

  private static void setReplicas(int replicas) {
    Edits.edit(env.client().resources(EtcdCluster.class).inNamespace("default").withName("example"), c -> {
      c.getSpec().setReplicas(replicas);
      return c;
    });
  }

  private static EtcdCluster awaitPhase(Phase phase, int members) {
    return awaitPhase("example", phase, members);
  }

  /** The status that showed the phase and the members, to assert on (not a later read). */
  private static EtcdCluster awaitPhase(String name, Phase phase, int members) {
    return Waits.until(await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)), resource(name),
        c -> c.getStatus().getPhase() == phase && (members + "/" + members).equals(c.getStatus().getReady())
            && c.getStatus().getMembers().size() == members);
  }

  /** What a sampler saw at one moment of a defragmentation round. */
  /** {@code heldOut}: the members the operator took out of the client Service (client-endpoint=false). */
  private record RoundSample(Set<String> endpoints, Set<String> heldOut, String leader) {}

  /** Reads the members the client Service selects and the members' leader every 200 ms until closed. */
  private static final class RoundSampler implements AutoCloseable {
    private final List<RoundSample> samples = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Client etcd;

    RoundSampler(String cluster) {
      List<String> urls = List.of(0, 1, 2).stream()
          .map(i -> "http://" + cluster + "-" + i + "." + cluster + "-peer.default.svc:2379").toList();
      etcd = Client.builder().endpoints(urls.toArray(String[]::new)).build();
      timer.scheduleWithFixedDelay(() -> {
        try {
          samples.add(new RoundSample(readyEndpoints(cluster), heldOut(cluster), leader(urls)));
        } catch (RuntimeException e) {
          failures.add(e.toString()); // a read that failed is a sample missed, not a result
        }
      }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * The leader as etcd says it now (the status names the leader of the pass that wrote it): the
     * first member that answers within 500 ms names it; a defragmenting member may not answer.
     */
    private String leader(List<String> urls) {
      for (String url : urls) {
        try {
          long leaderId = etcd.getMaintenanceClient().statusMember(url).get(500, TimeUnit.MILLISECONDS).getLeader();
          return etcd.getClusterClient().listMember().get(500, TimeUnit.MILLISECONDS).getMembers().stream()
              .filter(m -> m.getId() == leaderId).map(Member::getName).findFirst().orElse(null);
        } catch (Exception e) {
          // the next member answers
        }
      }
      throw new IllegalStateException("no member answered its status within 500 ms");
    }

    /**
     * The members the client Service selects: ready, and labelled client-endpoint=true. (The local
     * environment's pods have loopback addresses, which an EndpointSlice may not hold, so the
     * selection is read where the Service's selector reads it.)
     */
    static Set<String> readyEndpoints(String cluster) {
      return env.client().pods().inNamespace("default").withLabel("app.kubernetes.io/instance", cluster).list()
          .getItems().stream()
          .filter(pod -> "true".equals(pod.getMetadata().getLabels().get(ClusterLabels.CLIENT_ENDPOINT)))
          .filter(pod -> pod.getStatus() != null && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
          .map(pod -> pod.getMetadata().getName())
          .collect(Collectors.toSet());
    }

    static Set<String> heldOut(String cluster) {
      return env.client().pods().inNamespace("default").withLabel("app.kubernetes.io/instance", cluster).list()
          .getItems().stream()
          .filter(pod -> "false".equals(pod.getMetadata().getLabels().get(ClusterLabels.CLIENT_ENDPOINT)))
          .map(pod -> pod.getMetadata().getName())
          .collect(Collectors.toSet());
    }

    List<RoundSample> samples() {
      assertThat(samples).as("samples taken (reads that failed: %s)", failures).isNotEmpty();
      return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(10, TimeUnit.SECONDS);
      etcd.close();
    }
  }
}
