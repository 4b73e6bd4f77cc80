package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The inspection of a keyspace laid out as Kubernetes lays it out, on three real etcd 3.6 processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyspaceInspectorRealEtcdTest {

  static final int BIG_NAMESPACE_PODS = 50_000;
  private static final KeyspaceBudget PLENTY = new KeyspaceBudget(1_000_000, Duration.ofMinutes(2));

  private EtcdProcessCluster cluster;
  private MembershipDriver driver;

  @BeforeAll
  void start() throws Exception {
    cluster = new EtcdProcessCluster("ks", Path.of("target", "etcd-tests", "keyspace").toAbsolutePath(), 240,
        Binaries.etcd("etcd"));
    driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS);
    driver.converge(3, Duration.ofSeconds(60));
    try (Client client = Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build()) {
      KubernetesKeyspace.write(client, BIG_NAMESPACE_PODS);
    }
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private KeyspaceInspector inspector() {
    return new KeyspaceInspector(driver.connection(), 1_000, Clock.systemUTC());
  }

  private static long keysOf(KeyspaceReport report, String prefix) {
    return report.top().stream().filter(p -> p.prefix().equals(prefix)).mapToLong(KeyspacePrefix::keys)
        .findFirst().orElse(-1);
  }

  @Test
  void countsEveryResourceAndNamespaceOnAFollower() {
    KeyspaceInspector.Inspection inspection = inspector()
        .inspect(cluster.clientUrls(), 2, 20, PLENTY).orElseThrow();

    KeyspaceReport report = inspection.report();
    assertThat(report.partial()).isFalse();
    assertThat(inspection.scan().reachedEnd()).isTrue();
    assertThat(report.totalKeys()).isEqualTo(KubernetesKeyspace.totalKeys(BIG_NAMESPACE_PODS));
    assertThat(report.top().get(0)).extracting(KeyspacePrefix::prefix, KeyspacePrefix::resource,
        KeyspacePrefix::namespace, KeyspacePrefix::keys)
        .containsExactly("/registry/pods/big/", "pods", "big", (long) BIG_NAMESPACE_PODS);
    for (String ns : KubernetesKeyspace.SMALL_NAMESPACES) {
      assertThat(keysOf(report, "/registry/pods/" + ns + "/")).isEqualTo(KubernetesKeyspace.SMALL_PODS);
      assertThat(keysOf(report, "/registry/configmaps/" + ns + "/")).isEqualTo(KubernetesKeyspace.CONFIGMAPS);
      assertThat(keysOf(report, "/registry/example.com/widgets/" + ns + "/")).isEqualTo(KubernetesKeyspace.WIDGETS);
    }
    assertThat(keysOf(report, "/registry/namespaces/")).isEqualTo(KubernetesKeyspace.SMALL_NAMESPACES.size() + 1);
    assertThat(keysOf(report, "/registry/minions/")).isEqualTo(KubernetesKeyspace.NODES);
    // keys only: the bytes are the keys' own, and they are what the scan read
    assertThat(report.totalBytes()).isEqualTo(inspection.scan().bytesRead());
    assertThat(inspection.scan().pages()).isGreaterThanOrEqualTo(BIG_NAMESPACE_PODS / 1_000);

    EtcdMemberState leader = driver.observe().leader().orElseThrow();
    assertThat(inspection.readFrom()).isNotEqualTo(cluster.clientUrl(leader.name()));
    assertThat(cluster.clientUrls()).contains(inspection.readFrom());
  }

  @Test
  void aKeyBudgetStopsTheInspectionAndSaysItIsPartial() {
    KeyspaceInspector.Inspection inspection = inspector()
        .inspect(cluster.clientUrls(), 2, 20, new KeyspaceBudget(12_345, Duration.ofMinutes(1))).orElseThrow();

    assertThat(inspection.report().partial()).isTrue();
    assertThat(inspection.report().stoppedBy()).isEqualTo("maxKeys 12345");
    assertThat(inspection.report().totalKeys()).isEqualTo(12_345);
    assertThat(inspection.scan().reachedEnd()).isFalse();
    assertThat(inspection.scan().pages()).isEqualTo(13);
  }

  @Test
  void aKeyBudgetOfExactlyTheKeysThereAreIsComplete() {
    long all = KubernetesKeyspace.totalKeys(BIG_NAMESPACE_PODS);
    KeyspaceInspector.Inspection inspection = inspector()
        .inspect(cluster.clientUrls(), 2, 20, new KeyspaceBudget(all, Duration.ofMinutes(1))).orElseThrow();

    assertThat(inspection.report().partial()).isFalse();
    assertThat(inspection.report().totalKeys()).isEqualTo(all);
    assertThat(inspection.scan().reachedEnd()).isTrue();
  }

  @Test
  void aTimeBudgetStopsTheInspectionAndSaysItIsPartial() {
    KeyspaceInspector.Inspection inspection = new KeyspaceInspector(driver.connection(), 5, Clock.systemUTC())
        .inspect(cluster.clientUrls(), 2, 20, new KeyspaceBudget(1_000_000, Duration.ofMillis(300))).orElseThrow();

    assertThat(inspection.report().partial()).isTrue();
    assertThat(inspection.report().stoppedBy()).startsWith("maxSeconds");
    assertThat(inspection.report().totalKeys()).isLessThan(KubernetesKeyspace.totalKeys(BIG_NAMESPACE_PODS));
  }
}
