package io.etcdplatform.bench;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline of the benchmarks: the same number of members started directly as a static etcd
 * cluster (all at once, state new), timed until every member is healthy under a leader.
 */
public final class StaticCluster {

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private StaticCluster() {}

  /** The median of three starts, after one warm-up start (class loading, JIT, page cache). */
  public static Duration startTime(Path etcd, int members, Path workDir) {
    startOnce(etcd, members, workDir);
    List<Duration> runs = new ArrayList<>(List.of(
        startOnce(etcd, members, workDir), startOnce(etcd, members, workDir), startOnce(etcd, members, workDir)));
    runs.sort(null);
    return runs.get(1);
  }

  private static Duration startOnce(Path etcd, int members, Path workDir) {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("s", workDir.resolve("static-" + members), 70, etcd);
         MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
      var nothingYet = new ClusterObservation(false, 0, List.of(), 0, List.of(), Instant.now());
      MembershipLayout everyMemberNew = MembershipLayout.of(members, nothingYet, cluster).orElseThrow();
      Instant start = Instant.now();
      cluster.sync(everyMemberNew);
      while (true) {
        var observation = driver.observe();
        if (observation.voters().size() == members && observation.leaderId() != 0
            && observation.voters().stream().allMatch(EtcdMemberState::healthy)) {
          return Duration.between(start, Instant.now());
        }
        if (Duration.between(start, Instant.now()).compareTo(TIMEOUT) > 0) {
          throw new IllegalStateException("a static cluster of " + members + " did not become healthy");
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
