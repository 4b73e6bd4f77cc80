package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quorum watch on three real etcd processes: members that stop answering (SIGSTOP: their
 * connections stay open, as on a frozen node) bring a pass within seconds, their return another,
 * and a steady cluster none.
 */
class QuorumWatchRealEtcdTest {

  private static final ResourceID ID = new ResourceID("q", "ns");
  private final List<Event> passes = new CopyOnWriteArrayList<>();
  private EtcdProcessCluster cluster;
  private MembershipDriver driver;
  private EtcdConnections connections;
  private QuorumWatch watch;

  @BeforeEach
  void start() {
    cluster = new EtcdProcessCluster("q", Path.of("target", "etcd-tests", "quorum-watch").toAbsolutePath(), 170,
        Binaries.etcd("etcd"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    connections = new EtcdConnections(Duration.ofSeconds(5));
    watch = new QuorumWatch(connections, Duration.ofSeconds(1), Duration.ofSeconds(5));
    watch.setEventHandler(passes::add);
    watch.start();
  }

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.stop();
      connections.close();
    }
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoOfThreeMembersThatStopAnsweringBringAPassAndTheirReturnAnother() {
    watch.watch(ID, cluster.access(), driver.observe());
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(passes::isEmpty);

    cluster.pause("q-1", true);
    cluster.pause("q-2", true);
    await().atMost(Duration.ofSeconds(20)).until(() -> passes.size() == 1);
    assertThat(passes.get(0).getRelatedCustomResourceID()).isEqualTo(ID);
    ClusterObservation lost = driver.observe(); // the pass it brought
    assertThat(lost.hasQuorum()).isFalse();
    watch.watch(ID, cluster.access(), lost);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> passes.size() == 1);

    cluster.pause("q-1", false);
    cluster.pause("q-2", false);
    await().atMost(Duration.ofSeconds(30)).until(() -> passes.size() == 2);
    assertThat(driver.observe().hasQuorum()).isTrue();
  }

  @Test
  void oneOfThreeMembersThatStopsAnsweringLeavesTheQuorumAndBringsNoPass() {
    watch.watch(ID, cluster.access(), driver.observe());

    cluster.pause("q-2", true);
    try {
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(passes::isEmpty);
    } finally {
      cluster.pause("q-2", false);
    }
  }

  @Test
  void aForgottenClusterIsNoLongerProbed() {
    watch.watch(ID, cluster.access(), driver.observe());
    watch.forget(ID);

    cluster.pause("q-1", true);
    cluster.pause("q-2", true);
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(passes::isEmpty);
  }
}
