package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.AutoCompaction;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdCommandLineTest {

  @Test
  void listensOnThePodIpAndAdvertisesTheStableDnsName() {
    assertThat(EtcdCommandLine.args(cluster("main", 3))).containsExactly(
        "--name=$(POD_NAME)",
        "--data-dir=/var/lib/etcd/data",
        "--listen-peer-urls=http://$(POD_IP):2380",
        "--listen-client-urls=http://$(POD_IP):2379",
        "--listen-metrics-urls=http://$(POD_IP):2381",
        "--initial-advertise-peer-urls=http://$(POD_NAME).main-peer.ns.svc:2380",
        "--advertise-client-urls=http://$(POD_NAME).main-peer.ns.svc:2379",
        "--quota-backend-bytes=2147483648",
        "--heartbeat-interval=100",
        "--election-timeout=1000",
        "--feature-gates=StopGRPCServiceOnDefrag=true");
  }

  /** etcd 3.6 answers NOT_SERVING on its gRPC health service while it defragments; 3.5 has no such gate. */
  @Test
  void etcd36StopsItsGrpcHealthServiceWhileDefragmentingKeepingTheSpecsOwnGates() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().getEtcd().setExtraFlags(Map.of("feature-gates", "InitialCorruptCheck=true"));
    assertThat(EtcdCommandLine.args(cluster))
        .contains("--feature-gates=InitialCorruptCheck=true,StopGRPCServiceOnDefrag=true");

    cluster.getSpec().getEtcd().setExtraFlags(Map.of("feature-gates", "StopGRPCServiceOnDefrag=false"));
    assertThat(EtcdCommandLine.args(cluster)).as("the spec's own choice").contains(
        "--feature-gates=StopGRPCServiceOnDefrag=false").doesNotContain("--feature-gates=StopGRPCServiceOnDefrag=true");

    cluster.getSpec().getEtcd().setExtraFlags(null);
    cluster.getSpec().setVersion("3.5.21");
    assertThat(EtcdCommandLine.args(cluster)).noneMatch(arg -> arg.startsWith("--feature-gates"));
  }

  @Test
  void aTlsClusterSpeaksHttpsWithMutualTlsOnBothPlanesAndKeepsItsMetricsListenerPlain() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().setTls(new TlsSpec());

    assertThat(EtcdCommandLine.args(cluster)).contains(
        "--listen-peer-urls=https://$(POD_IP):2380",
        "--listen-client-urls=https://$(POD_IP):2379",
        "--listen-metrics-urls=http://$(POD_IP):2381",
        "--initial-advertise-peer-urls=https://$(POD_NAME).main-peer.ns.svc:2380",
        "--advertise-client-urls=https://$(POD_NAME).main-peer.ns.svc:2379",
        "--cert-file=/etc/etcd/tls/server.crt",
        "--key-file=/etc/etcd/tls/server.key",
        "--trusted-ca-file=/etc/etcd/tls/client-ca.crt",
        "--client-cert-auth=true",
        "--peer-cert-file=/etc/etcd/tls/peer.crt",
        "--peer-key-file=/etc/etcd/tls/peer.key",
        "--peer-trusted-ca-file=/etc/etcd/tls/peer-ca.crt",
        "--peer-client-cert-auth=true",
        "--tls-min-version=TLS1.2");
  }

  @Test
  void passesTuningCompactionAndExtraFlagsInAStableOrder() {
    EtcdCluster cluster = cluster("main", 3);
    cluster.getSpec().getEtcd().setSnapshotCount(50000L);
    AutoCompaction compaction = new AutoCompaction();
    compaction.setMode(AutoCompaction.Mode.periodic);
    compaction.setRetention("1h");
    cluster.getSpec().getEtcd().setAutoCompaction(compaction);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("log-level", "warn");
    extra.put("experimental-compact-hash-check-enabled", "true");
    cluster.getSpec().getEtcd().setExtraFlags(extra);

    assertThat(EtcdCommandLine.args(cluster)).endsWith(
        "--snapshot-count=50000",
        "--auto-compaction-mode=periodic",
        "--auto-compaction-retention=1h",
        "--experimental-compact-hash-check-enabled=true",
        "--feature-gates=StopGRPCServiceOnDefrag=true",
        "--log-level=warn");
  }

  @Test
  void neverPassesInitialClusterFlags() {
    // etcd reads them from the ETCD_INITIAL_* variables of the bootstrap ConfigMap; a flag would shadow those
    assertThat(EtcdCommandLine.args(cluster("main", 3))).noneMatch(arg -> arg.startsWith("--initial-cluster"));
  }
}
