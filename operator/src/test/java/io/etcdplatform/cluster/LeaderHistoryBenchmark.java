package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.MemberStatus;
import io.etcdplatform.metrics.ClusterHealth;
import io.etcdplatform.metrics.MemberHealth;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcdplatform.observation.PodState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The cost of the leader-change analysis a pass adds (`LeaderHistory.observe`: previous status,
 * pods' restarts, members' metrics, the classifier), on five members whose metrics are a real
 * etcd 3.6 follower's, with and without a change to classify, beside what every pass already does
 * with the same answers — parsing the five members' /metrics — measured in the same run.
 */
public final class LeaderHistoryBenchmark {

  private static final int MEMBERS = 5;
  private static final int WARMUP = 2_000;
  private static final int ROUNDS = 20_000;
  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  private LeaderHistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    String exposition = Files.readString(Path.of("src/test/resources/health/etcd-3.6.16-follower-metrics.txt"));
    MemberMetrics metrics = MemberMetrics.parse(exposition);
    ClusterHealth health = health(metrics);
    List<Pod> pods = IntStream.range(0, MEMBERS).mapToObj(i -> pod("etcd-" + i, i == 0 ? 1 : 0)).toList();
    EtcdCluster cluster = ledByZeroAtTermFive();
    ClusterObservation steady = observation(1, 5);
    ClusterObservation changed = observation(2, 6);

    double parse = nanosPerCall(() -> IntStream.range(0, MEMBERS).mapToObj(i -> MemberMetrics.parse(exposition))
        .toList());
    double unchanged = nanosPerCall(() -> LeaderHistory.observe(cluster, steady, pods, health, null));
    double classified = nanosPerCall(() -> LeaderHistory.observe(cluster, changed, pods, health, null));

    System.out.printf("%nLeader-change analysis per pass (%d members, %,d rounds each, same JVM and run)%n", MEMBERS,
        ROUNDS);
    System.out.printf("%-52s %14s %12s%n", "", "µs per pass", "vs parsing");
    System.out.printf("%-52s %14.1f %11.2fx%n", "baseline: parse the members' /metrics (every pass)", parse / 1e3,
        1.0);
    System.out.printf("%-52s %14.1f %11.3fx%n", "analysis, leader unchanged", unchanged / 1e3, unchanged / parse);
    System.out.printf("%-52s %14.1f %11.3fx%n", "analysis, a change classified (old leader restarted)", classified / 1e3,
        classified / parse);
  }

  private static double nanosPerCall(Supplier<?> work) {
    Object sink = null;
    for (int i = 0; i < WARMUP; i++) {
      sink = work.get();
    }
    long start = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) {
      sink = work.get();
    }
    long took = System.nanoTime() - start;
    if (sink == null) {
      throw new IllegalStateException("nothing computed");
    }
    return (double) took / ROUNDS;
  }

  private static ClusterHealth health(MemberMetrics metrics) {
    List<MemberHealth> members = IntStream.range(0, MEMBERS).mapToObj(i -> new MemberHealth("etcd-" + i, true, true,
        i == 1 ? "Leader" : "Follower", "3.6.16", 1, 1, 10, 6, 100, 100, metrics)).toList();
    return new ClusterHealth(MEMBERS, MEMBERS, true, true, 6, 0, 0, List.of(), Optional.empty(), members);
  }

  /** The members, {@code leaderId} leading at {@code term}. */
  private static ClusterObservation observation(long leaderId, long term) {
    List<EtcdMemberState> members = IntStream.range(0, MEMBERS).mapToObj(i -> new EtcdMemberState(i + 1, "etcd-" + i,
        i, true, false, true, 100, null, new MemberStats("3.6.16", 1, 1, 10, term, 100))).toList();
    List<PodState> pods = IntStream.range(0, MEMBERS)
        .mapToObj(i -> new PodState("etcd-" + i, i, true, true, NOW.minusSeconds(3600), null)).toList();
    return new ClusterObservation(true, 42, members, leaderId, pods, NOW);
  }

  private static Pod pod(String name, int restarts) {
    return new PodBuilder().withMetadata(new ObjectMetaBuilder().withName(name).build()).withNewStatus()
        .addNewContainerStatus().withName(DesiredStatefulSet.CONTAINER).withRestartCount(restarts)
        .withNewLastState().withNewTerminated().withReason("OOMKilled").endTerminated().endLastState()
        .endContainerStatus().endStatus().build();
  }

  /** The previous pass saw etcd-0 (ID 1) lead at term 5, no pod restarted. */
  private static EtcdCluster ledByZeroAtTermFive() {
    EtcdCluster cluster = new EtcdCluster();
    cluster.getMetadata().setName("bench");
    cluster.getMetadata().setNamespace("ns");
    cluster.setSpec(new EtcdClusterSpec());
    cluster.getSpec().setReplicas(MEMBERS);
    EtcdClusterStatus status = new EtcdClusterStatus();
    status.setLeader("etcd-0");
    status.setLeaderId("1");
    status.setLeaderTerm(5L);
    List<MemberStatus> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      MemberStatus member = new MemberStatus();
      member.setName("etcd-" + i);
      member.setRestarts(0);
      members.add(member);
    }
    status.setMembers(members);
    cluster.setStatus(status);
    return cluster;
  }
}
