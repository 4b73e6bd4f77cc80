package io.etcdplatform.cluster;

import static io.etcdplatform.testing.Clusters.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.NetworkPolicyPeer;
import io.etcdplatform.api.v1alpha1.NetworkPolicySpec;
import io.etcdplatform.api.v1alpha1.TlsSpec;
import io.etcdplatform.config.NetworkPolicyDefaults;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredNetworkPolicyTest {

  private static final NetworkPolicyDefaults DEFAULT_ON = new NetworkPolicyDefaults(true, "etcd-system",
      Map.of("app.kubernetes.io/name", "etcd-operator"), Map.of("kubernetes.io/metadata.name", "monitoring"));
  private static final NetworkPolicyDefaults DEFAULT_OFF = new NetworkPolicyDefaults(false, "etcd-system",
      Map.of("app.kubernetes.io/name", "etcd-operator"), Map.of("kubernetes.io/metadata.name", "monitoring"));
  private static final io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer MEMBERS = new NetworkPolicyPeerBuilder()
      .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app.kubernetes.io/name", "etcd",
          "app.kubernetes.io/instance", "main")).build()).build();
  private static final io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer OPERATOR = new NetworkPolicyPeerBuilder()
      .withNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("kubernetes.io/metadata.name", "etcd-system")).build())
      .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app.kubernetes.io/name", "etcd-operator")).build())
      .build();

  @Test
  void aClusterWithoutSpecNetworkPolicyHasNoneUnlessTheDefaultIsOnAndItHasTls() {
    assertThat(DesiredNetworkPolicy.build(cluster("main", 3), DEFAULT_ON)).isEmpty();
    assertThat(DesiredNetworkPolicy.build(tls(cluster("main", 3)), DEFAULT_OFF)).isEmpty();
    assertThat(DesiredNetworkPolicy.build(tls(cluster("main", 3)), DEFAULT_ON)).isPresent();
  }

  @Test
  void enabledFalseOptsOutOfTheDefaultAndEnabledTrueNeedsNoTls() {
    EtcdCluster optedOut = tls(cluster("main", 3));
    NetworkPolicySpec off = new NetworkPolicySpec();
    off.setEnabled(false);
    optedOut.getSpec().setNetworkPolicy(off);
    assertThat(DesiredNetworkPolicy.build(optedOut, DEFAULT_ON)).isEmpty();

    EtcdCluster plaintext = cluster("main", 3);
    plaintext.getSpec().setNetworkPolicy(new NetworkPolicySpec());
    assertThat(DesiredNetworkPolicy.build(plaintext, DEFAULT_OFF)).isPresent();
  }

  @Test
  void peersReachOnlyTheMembersPeerPortAndClientsOnlyTheListedPeersAndTheOperator() {
    EtcdCluster cluster = cluster("main", 3);
    NetworkPolicySpec spec = new NetworkPolicySpec();
    var app = new NetworkPolicyPeer(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "payments")).build(),
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "ledger")).build());
    spec.setClientsFrom(List.of(app));
    cluster.getSpec().setNetworkPolicy(spec);

    NetworkPolicy policy = DesiredNetworkPolicy.build(cluster, DEFAULT_OFF).orElseThrow();

    assertThat(policy.getMetadata().getName()).isEqualTo("main");
    assertThat(policy.getMetadata().getNamespace()).isEqualTo(cluster.getMetadata().getNamespace());
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Map.of("app.kubernetes.io/name", "etcd", "app.kubernetes.io/instance", "main"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).hasSize(3);
    NetworkPolicyIngressRule peer = rule(policy, 2380);
    assertThat(peer.getFrom()).containsExactly(MEMBERS);
    NetworkPolicyIngressRule client = rule(policy, 2379);
    assertThat(client.getFrom()).hasSize(4).contains(MEMBERS, OPERATOR)
        .contains(new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(
            "app.kubernetes.io/instance", "main", "app.kubernetes.io/managed-by", "etcd-platform")).build()).build())
        .contains(new NetworkPolicyPeerBuilder().withNamespaceSelector(app.getNamespaceSelector())
            .withPodSelector(app.getPodSelector()).build());
    NetworkPolicyIngressRule metrics = rule(policy, 2381);
    assertThat(metrics.getFrom()).containsExactly(OPERATOR, new NetworkPolicyPeerBuilder().withNamespaceSelector(
        new LabelSelectorBuilder().withMatchLabels(Map.of("kubernetes.io/metadata.name", "monitoring")).build()).build());
  }

  @Test
  void metricsFromReplacesTheMonitoringNamespacesButNeverTheOperator() {
    EtcdCluster cluster = cluster("main", 3);
    NetworkPolicySpec spec = new NetworkPolicySpec();
    var prometheus = new NetworkPolicyPeer(null, new LabelSelectorBuilder().withMatchLabels(Map.of("app", "prometheus")).build());
    spec.setMetricsFrom(List.of(prometheus));
    cluster.getSpec().setNetworkPolicy(spec);

    NetworkPolicy policy = DesiredNetworkPolicy.build(cluster, DEFAULT_OFF).orElseThrow();

    assertThat(rule(policy, 2381).getFrom()).containsExactly(OPERATOR,
        new NetworkPolicyPeerBuilder().withPodSelector(prometheus.getPodSelector()).build());
  }

  @Test
  void anOperatorWithoutPodLabelsIsLetInByItsNamespace() {
    var anyPod = new NetworkPolicyDefaults(true, "ops", Map.of(), Map.of());
    NetworkPolicy policy = DesiredNetworkPolicy.build(tls(cluster("main", 1)), anyPod).orElseThrow();
    assertThat(rule(policy, 2379).getFrom()).contains(new NetworkPolicyPeerBuilder().withNamespaceSelector(
        new LabelSelectorBuilder().withMatchLabels(Map.of("kubernetes.io/metadata.name", "ops")).build()).build());
  }

  private static NetworkPolicyIngressRule rule(NetworkPolicy policy, int port) {
    return policy.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().size() == 1 && r.getPorts().get(0).getPort().getIntVal() == port
            && "TCP".equals(r.getPorts().get(0).getProtocol()))
        .findFirst().orElseThrow();
  }

  private static EtcdCluster tls(EtcdCluster cluster) {
    cluster.getSpec().setTls(new TlsSpec());
    return cluster;
  }
}
