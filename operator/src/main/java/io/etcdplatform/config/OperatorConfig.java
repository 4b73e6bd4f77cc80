package io.etcdplatform.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Operator settings. Each is read from an environment variable (e.g. {@code HTTP_PORT}) or the
 * matching system property ({@code etcdplatform.http.port}), which wins; docs/operations.md
 * lists them all.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaderElectionNamespace,
    String leaseName,
    int httpPort,
    String httpAddress,
    String etcdImageRepository,
    Duration healthInterval,
    Duration progressInterval,
    Duration quorumCheckInterval,
    Duration kubernetesRequestTimeout,
    Duration etcdRequestTimeout,
    Duration failedMemberGrace,
    Duration learnerStartTimeout,
    Duration consistencyCheckInterval,
    Duration backupTimeout,
    Duration storageRequestTimeout,
    int maxConcurrentBackups,
    String operatorImage,
    NetworkPolicyDefaults networkPolicyDefaults) {

  public static OperatorConfig from(Map<String, String> env) {
    Function<String, String> read = name -> System.getProperty(propertyName(name), env.get(name));
    Settings s = new Settings(read);
    return new OperatorConfig(
        s.set("WATCH_NAMESPACES"),
        s.bool("LEADER_ELECTION_ENABLED", true),
        s.string("LEADER_ELECTION_NAMESPACE", s.string("POD_NAMESPACE", "default")),
        s.string("LEADER_ELECTION_LEASE_NAME", "etcd-platform-operator"),
        s.integer("HTTP_PORT", 8080),
        s.string("HTTP_ADDRESS", ""),
        s.string("ETCD_IMAGE_REPOSITORY", "quay.io/coreos/etcd"),
        Duration.ofSeconds(s.integer("HEALTH_INTERVAL_SECONDS", 60)),
        Duration.ofSeconds(s.integer("PROGRESS_INTERVAL_SECONDS", 5)),
        Duration.ofSeconds(s.integer("QUORUM_CHECK_INTERVAL_SECONDS", 5)),
        Duration.ofSeconds(s.integer("KUBERNETES_REQUEST_TIMEOUT_SECONDS", 30)),
        Duration.ofSeconds(s.integer("ETCD_REQUEST_TIMEOUT_SECONDS", 5)),
        Duration.ofSeconds(s.integer("FAILED_MEMBER_GRACE_SECONDS", 300)),
        Duration.ofSeconds(s.integer("LEARNER_START_TIMEOUT_SECONDS", 300)),
        Duration.ofSeconds(s.integer("CONSISTENCY_CHECK_INTERVAL_SECONDS", 300)),
        Duration.ofSeconds(s.positive("BACKUP_TIMEOUT_SECONDS", 1800)),
        Duration.ofSeconds(s.positive("STORAGE_REQUEST_TIMEOUT_SECONDS", 60)),
        s.positive("MAX_CONCURRENT_BACKUPS", 4),
        s.string("OPERATOR_IMAGE", "ghcr.io/etcd-platform/etcd-operator:latest"),
        new NetworkPolicyDefaults(s.bool("DEFAULT_NETWORK_POLICY", false),
            s.string("POD_NAMESPACE", "default"),
            NetworkPolicyDefaults.labels("NETWORK_POLICY_OPERATOR_POD_LABELS", s.string("NETWORK_POLICY_OPERATOR_POD_LABELS", "")),
            NetworkPolicyDefaults.labels("NETWORK_POLICY_METRICS_NAMESPACES",
                s.string("NETWORK_POLICY_METRICS_NAMESPACES", "kubernetes.io/metadata.name=monitoring"))));
  }

  /** {@code HTTP_PORT} -> {@code etcdplatform.http.port}. */
  static String propertyName(String envName) {
    return "etcdplatform." + envName.toLowerCase().replace('_', '.');
  }

  /** Where /healthz, /readyz and /metrics listen: every interface unless HTTP_ADDRESS names one. */
  public InetSocketAddress httpListenAddress() {
    return httpAddress.isEmpty() ? new InetSocketAddress(httpPort) : new InetSocketAddress(httpAddress, httpPort);
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private record Settings(Function<String, String> read) {

    String string(String name, String defaultValue) {
      String value = read.apply(name);
      return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    int integer(String name, int defaultValue) {
      return atLeast(0, name, defaultValue);
    }

    int positive(String name, int defaultValue) {
      return atLeast(1, name, defaultValue);
    }

    private int atLeast(int minimum, String name, int defaultValue) {
      String value = string(name, null);
      if (value == null) {
        return defaultValue;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < minimum) {
          throw new NumberFormatException();
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + "=" + value + " is not a valid setting: use a whole number of "
            + minimum + " or more (default " + defaultValue + ")");
      }
    }

    boolean bool(String name, boolean defaultValue) {
      String value = string(name, null);
      if (value == null) {
        return defaultValue;
      }
      return switch (value.toLowerCase()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException(
            name + "=" + value + " is not a valid setting: use true or false (default " + defaultValue + ")");
      };
    }

    Set<String> set(String name) {
      String value = string(name, "");
      return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    }
  }
}
