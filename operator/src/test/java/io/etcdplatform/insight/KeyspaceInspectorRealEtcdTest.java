package io.etcdplatform.insight;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void aTimeBudgetStopsTheInspectionAndSaysItIsPartial() {
    KeyspaceInspector.Inspection inspection = new KeyspaceInspector(driver.connection(), 5, Clock.systemUTC())
        .inspect(cluster.clientUrls(), 2, 20, new KeyspaceBudget(1_000_000, Duration.ofMillis(300))).orElseThrow();

    assertThat(inspection.report().partial()).isTrue();
    assertThat(inspection.report().stoppedBy()).startsWith("maxSeconds");
    assertThat(inspection.report().totalKeys()).isLessThan(KubernetesKeyspace.totalKeys(BIG_NAMESPACE_PODS));
  }

  /** A keyspace as Kubernetes lays it out: one namespace with many pods among a few small ones. */
  static final class KubernetesKeyspace {
    static final List<String> SMALL_NAMESPACES = List.of("default", "kube-system", "team-a");
    static final int SMALL_PODS = 40;
    static final int CONFIGMAPS = 25;
    static final int WIDGETS = 30;
    static final int NODES = 5;
    /** etcd's default --max-txn-ops. */
    private static final int OPS_PER_TXN = 128;
    private static final int TXNS_IN_FLIGHT = 16;

    static long totalKeys(int bigPods) {
      return bigPods + SMALL_NAMESPACES.size() * (SMALL_PODS + CONFIGMAPS + WIDGETS) + SMALL_NAMESPACES.size() + 1
          + NODES;
    }

    static List<String> keys(int bigPods) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < bigPods; i++) {
        keys.add("/registry/pods/big/web-" + i);
      }
      keys.add("/registry/namespaces/big");
      for (String ns : SMALL_NAMESPACES) {
        keys.add("/registry/namespaces/" + ns);
        for (int i = 0; i < SMALL_PODS; i++) {
          keys.add("/registry/pods/" + ns + "/pod-" + i);
        }
        for (int i = 0; i < CONFIGMAPS; i++) {
          keys.add("/registry/configmaps/" + ns + "/cm-" + i);
        }
        for (int i = 0; i < WIDGETS; i++) {
          keys.add("/registry/example.com/widgets/" + ns + "/w-" + i);
        }
      }
      for (int i = 0; i < NODES; i++) {
        keys.add("/registry/minions/node-" + i);
      }
      return keys;
    }

    /** Puts every key with a small value, in transactions of etcd's maximum size, several in flight. */
    static void write(Client client, int bigPods) throws Exception {
      ByteSequence value = ByteSequence.from("{\"kind\":\"Pod\",\"spec\":{}}", StandardCharsets.UTF_8);
      List<String> keys = keys(bigPods);
      List<CompletableFuture<?>> inFlight = new ArrayList<>();
      for (int from = 0; from < keys.size(); from += OPS_PER_TXN) {
        List<Op> puts = keys.subList(from, Math.min(keys.size(), from + OPS_PER_TXN)).stream()
            .map(k -> (Op) Op.put(ByteSequence.from(k, StandardCharsets.UTF_8), value, PutOption.DEFAULT))
            .toList();
        inFlight.add(client.getKVClient().txn().Then(puts.toArray(Op[]::new)).commit());
        if (inFlight.size() >= TXNS_IN_FLIGHT) {
          inFlight.remove(0).get(30, TimeUnit.SECONDS);
        }
      }
      for (CompletableFuture<?> txn : inFlight) {
        txn.get(30, TimeUnit.SECONDS);
      }
    }
  }
}
