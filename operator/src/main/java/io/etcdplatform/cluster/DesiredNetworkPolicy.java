package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.NetworkPolicyPeer;
import io.etcdplatform.api.v1alpha1.NetworkPolicySpec;
import io.etcdplatform.config.NetworkPolicyDefaults;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's NetworkPolicy, when it has one: ingress to its members only on the peer port from
 * the members, on the client port from the members, the cluster's own Jobs, the operator and the
 * peers spec.networkPolicy.clientsFrom lists, and on the metrics port from the operator and the
 * monitoring namespaces. Egress is left open (members dial each other; the operator's own pods are
 * outside the policy). A TLS cluster without spec.networkPolicy gets one when the operator's default
 * says so; spec.networkPolicy.enabled false never does.
 */
public final class DesiredNetworkPolicy {

  private static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

  private DesiredNetworkPolicy() {}

  public static Optional<NetworkPolicy> build(EtcdCluster cluster, NetworkPolicyDefaults defaults) {
    NetworkPolicySpec spec = cluster.getSpec().getNetworkPolicy();
    if (spec == null ? !(defaults.onForTls() && cluster.getSpec().tlsEnabled()) : !Boolean.TRUE.equals(spec.getEnabled())) {
      return Optional.empty();
    }
    List<NetworkPolicyPeer> clients = spec == null || spec.getClientsFrom() == null ? List.of() : spec.getClientsFrom();
    List<NetworkPolicyPeer> metrics = spec == null || spec.getMetricsFrom() == null
        ? List.of(new NetworkPolicyPeer(selector(defaults.metricsNamespaceLabels()), null)) : spec.getMetricsFrom();
    var members = peer(null, selector(ClusterLabels.selector(cluster)));
    var operator = peer(selector(Map.of(NAMESPACE_NAME, defaults.operatorNamespace())),
        defaults.operatorPodLabels().isEmpty() ? null : selector(defaults.operatorPodLabels()));
    var jobs = peer(null, selector(Map.of(ClusterLabels.INSTANCE, cluster.getMetadata().getName(),
        ClusterLabels.MANAGED_BY, ClusterLabels.MANAGED_BY_VALUE)));
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> clientPeers = new ArrayList<>(List.of(members, jobs, operator));
    clients.forEach(p -> clientPeers.add(peer(p.getNamespaceSelector(), p.getPodSelector())));
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> metricsPeers = new ArrayList<>(List.of(operator));
    metrics.forEach(p -> metricsPeers.add(peer(p.getNamespaceSelector(), p.getPodSelector())));
    return Optional.of(new NetworkPolicyBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, ClusterNames.networkPolicy(cluster), "network-policy"))
        .withNewSpec()
          .withPodSelector(selector(ClusterLabels.selector(cluster)))
          .withPolicyTypes("Ingress")
          .withIngress(rule(ClusterNames.PEER_PORT, List.of(members)),
              rule(ClusterNames.CLIENT_PORT, clientPeers),
              rule(ClusterNames.METRICS_PORT, metricsPeers))
        .endSpec()
        .build());
  }

  private static NetworkPolicyIngressRule rule(int port, List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> from) {
    return new NetworkPolicyIngressRuleBuilder()
        .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build())
        .withFrom(from)
        .build();
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer peer(LabelSelector namespaces, LabelSelector pods) {
    return new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder()
        .withNamespaceSelector(namespaces).withPodSelector(pods).build();
  }

  private static LabelSelector selector(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(new java.util.TreeMap<>(labels)).build();
  }
}
