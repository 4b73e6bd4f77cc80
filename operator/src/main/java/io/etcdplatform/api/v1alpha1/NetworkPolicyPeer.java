package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Who may connect, as a NetworkPolicy peer says it: pods matching podSelector in namespaces matching
 * namespaceSelector (the cluster's own namespace when only podSelector is set; every pod of the
 * selected namespaces when only namespaceSelector is set).
 */
@ValidationRule(value = "has(self.namespaceSelector) || has(self.podSelector)",
    message = "set namespaceSelector, podSelector or both: an empty peer would mean nobody")
public class NetworkPolicyPeer {

  @JsonPropertyDescription("Namespaces, by label (e.g. kubernetes.io/metadata.name: my-app).")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription("Pods, by label.")
  private LabelSelector podSelector;

  public NetworkPolicyPeer() {}

  public NetworkPolicyPeer(LabelSelector namespaceSelector, LabelSelector podSelector) {
    this.namespaceSelector = namespaceSelector;
    this.podSelector = podSelector;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }
}
