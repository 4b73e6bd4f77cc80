package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.ArrayList;
import java.util.List;

/**
 * A NetworkPolicy the cluster owns: the peer port only from its members, the client port only from
 * the peers listed here, the operator and the cluster's own Jobs, the metrics port from the
 * monitoring namespaces. Unset: the operator's default (on for TLS clusters when the chart says so).
 */
public class NetworkPolicySpec {

  @JsonPropertyDescription("Create the NetworkPolicy; false removes it (also when the operator's default would create one).")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("Who may reach the client port (2379) besides the members, the operator and the cluster's "
      + "backup Jobs. Empty: nobody else.")
  private List<NetworkPolicyPeer> clientsFrom = new ArrayList<>();

  @JsonPropertyDescription("Who may read the metrics port (2381: /metrics, /livez, /readyz) besides the operator. "
      + "Unset: the operator's monitoring namespaces (setting NETWORK_POLICY_METRICS_NAMESPACES).")
  private List<NetworkPolicyPeer> metricsFrom;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<NetworkPolicyPeer> getClientsFrom() {
    return clientsFrom;
  }

  public void setClientsFrom(List<NetworkPolicyPeer> clientsFrom) {
    this.clientsFrom = clientsFrom;
  }

  public List<NetworkPolicyPeer> getMetricsFrom() {
    return metricsFrom;
  }

  public void setMetricsFrom(List<NetworkPolicyPeer> metricsFrom) {
    this.metricsFrom = metricsFrom;
  }
}
