package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.AutoCompaction;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdSettings;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.kube.KubernetesMemberAddresses;
import io.etcdplatform.tls.MemberTlsFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The etcd container's arguments. Per-pod values come from Kubernetes {@code $(VAR)} expansion
 * of env vars (no shell: etcd images from 3.5 on have none); listeners bind the pod IP, not
 * 0.0.0.0, so members sharing a host network (as in the local test environment) never collide.
 * The initial-cluster settings are not flags: etcd reads them from ETCD_INITIAL_* env vars that
 * come from the bootstrap ConfigMap (see {@link DesiredBootstrapConfigMap}).
 */
public final class EtcdCommandLine {

  public static final String DATA_DIR = "/var/lib/etcd";
  public static final String POD_NAME_ENV = "POD_NAME";
  public static final String POD_IP_ENV = "POD_IP";

  private EtcdCommandLine() {}

  public static List<String> args(EtcdCluster cluster) {
    String member = "$(" + POD_NAME_ENV + ")";
    String ip = "$(" + POD_IP_ENV + ")";
    List<String> args = new ArrayList<>();
    args.add("--name=" + member);
    args.add("--data-dir=" + DATA_DIR + "/data");
    String scheme = ClusterNames.scheme(cluster);
    args.add("--listen-peer-urls=" + ClusterNames.url(scheme, ip, ClusterNames.PEER_PORT));
    args.add("--listen-client-urls=" + ClusterNames.url(scheme, ip, ClusterNames.CLIENT_PORT));
    args.add("--listen-metrics-urls=" + ClusterNames.url(ClusterNames.METRICS_SCHEME, ip, ClusterNames.METRICS_PORT));
    args.add("--initial-advertise-peer-urls=" + KubernetesMemberAddresses.of(cluster).peerUrl(member));
    args.add("--advertise-client-urls=" + KubernetesMemberAddresses.of(cluster).clientUrl(member));
    if (cluster.getSpec().tlsEnabled()) {
      args.addAll(MemberTlsFiles.flags());
    }
    EtcdSettings etcd = cluster.getSpec().getEtcd();
    args.add("--quota-backend-bytes=" + etcd.getQuotaBackendBytes());
    args.add("--heartbeat-interval=" + etcd.getHeartbeatIntervalMillis());
    args.add("--election-timeout=" + etcd.getElectionTimeoutMillis());
    if (etcd.getSnapshotCount() != null) {
      args.add("--snapshot-count=" + etcd.getSnapshotCount());
    }
    AutoCompaction compaction = etcd.getAutoCompaction();
    if (compaction != null) {
      args.add("--auto-compaction-mode=" + compaction.getMode());
      args.add("--auto-compaction-retention=" + compaction.getRetention());
    }
    Map<String, String> extra = new TreeMap<>(etcd.getExtraFlags() == null ? Map.of() : etcd.getExtraFlags());
    if (stopsGrpcServiceOnDefrag(cluster.getSpec().getVersion())) {
      extra.merge(FEATURE_GATES, STOP_GRPC_SERVICE_ON_DEFRAG + "=true",
          (theirs, ours) -> theirs.contains(STOP_GRPC_SERVICE_ON_DEFRAG) ? theirs : theirs + "," + ours);
    }
    // sorted, so the same spec always yields the same pod template
    extra.forEach((flag, value) -> args.add("--" + flag + "=" + value));
    return args;
  }

  static final String FEATURE_GATES = "feature-gates";
  /**
   * etcd 3.6's gate (3.6.16 also takes the deprecated --experimental-stop-grpc-service-on-defrag):
   * a defragmenting member answers NOT_SERVING on the gRPC health service, so a client that
   * balances by health checks sends it nothing meanwhile. A spec that names the gate keeps its own value.
   */
  static final String STOP_GRPC_SERVICE_ON_DEFRAG = "StopGRPCServiceOnDefrag";

  private static boolean stopsGrpcServiceOnDefrag(String version) {
    return version != null && version.startsWith("3.6.");
  }
}
