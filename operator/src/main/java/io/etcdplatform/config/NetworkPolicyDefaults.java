package io.etcdplatform.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's side of a cluster's NetworkPolicy: whether a TLS cluster without spec.networkPolicy
 * gets one, who the operator is (its namespace and pod labels, to be let in on the client and metrics
 * ports), and which namespaces scrape the members' metrics unless a cluster names its own.
 */
public record NetworkPolicyDefaults(
    boolean onForTls,
    String operatorNamespace,
    Map<String, String> operatorPodLabels,
    Map<String, String> metricsNamespaceLabels) {

  public static final NetworkPolicyDefaults OFF = new NetworkPolicyDefaults(false, "default", Map.of(),
      Map.of("kubernetes.io/metadata.name", "monitoring"));

  public NetworkPolicyDefaults {
    operatorPodLabels = Map.copyOf(operatorPodLabels);
    metricsNamespaceLabels = Map.copyOf(metricsNamespaceLabels);
  }

  /** {@code a=b,c=d}; empty text, no labels. */
  static Map<String, String> labels(String setting, String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0 || pair.substring(0, equals).isBlank() || pair.substring(equals + 1).isBlank()) {
        throw new IllegalArgumentException(setting + "=" + text + " is not a valid setting: use key=value pairs "
            + "separated by commas, e.g. app.kubernetes.io/name=etcd-operator");
      }
      labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return labels;
  }
}
