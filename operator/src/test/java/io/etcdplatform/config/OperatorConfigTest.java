package io.etcdplatform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("etcdplatform.http.port");
  }

  @Test
  void defaultsSuitAProductionInstall() {
    OperatorConfig config = OperatorConfig.from(Map.of());

    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaderElectionNamespace()).isEqualTo("default");
    assertThat(config.leaseName()).isEqualTo("etcd-platform-operator");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.etcdImageRepository()).isEqualTo("quay.io/coreos/etcd");
    assertThat(config.healthInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.kubernetesRequestTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsEnvironmentVariables() {
    OperatorConfig config = OperatorConfig.from(Map.of(
        "WATCH_NAMESPACES", "team-a, team-b,",
        "LEADER_ELECTION_ENABLED", "FALSE",
        "POD_NAMESPACE", "operators",
        "HTTP_PORT", "9090",
        "HTTP_ADDRESS", "127.0.3.4"));

    assertThat(config.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaderElectionNamespace()).isEqualTo("operators");
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.httpListenAddress()).isEqualTo(new InetSocketAddress("127.0.3.4", 9090));
  }

  @Test
  void aSystemPropertyWinsOverTheEnvironment() {
    System.setProperty("etcdplatform.http.port", "7070");

    assertThat(OperatorConfig.from(Map.of("HTTP_PORT", "9090")).httpPort()).isEqualTo(7070);
  }

  @Test
  void aBadValueNamesTheSettingAndTheFix() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("HTTP_PORT", "eighty")))
        .hasMessage("HTTP_PORT=eighty is not a valid setting: use a whole number of 0 or more (default 8080)");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("MAX_CONCURRENT_BACKUPS", "0")))
        .as("no backup into S3 would ever start")
        .hasMessage("MAX_CONCURRENT_BACKUPS=0 is not a valid setting: use a whole number of 1 or more (default 4)");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("LEADER_ELECTION_ENABLED", "yes")))
        .hasMessage("LEADER_ELECTION_ENABLED=yes is not a valid setting: use true or false (default true)");
  }

  @Test
  void theNetworkPolicyDefaultIsOffAndNamesTheOperatorAndTheMonitoringNamespace() {
    var defaults = OperatorConfig.from(Map.of()).networkPolicyDefaults();
    assertThat(defaults.onForTls()).isFalse();
    assertThat(defaults.operatorNamespace()).isEqualTo("default");
    assertThat(defaults.operatorPodLabels()).isEmpty();
    assertThat(defaults.metricsNamespaceLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));

    var chart = OperatorConfig.from(Map.of("DEFAULT_NETWORK_POLICY", "true", "POD_NAMESPACE", "etcd-system",
        "NETWORK_POLICY_OPERATOR_POD_LABELS", "app.kubernetes.io/name=etcd-operator, app.kubernetes.io/instance=ops",
        "NETWORK_POLICY_METRICS_NAMESPACES", "team=observability")).networkPolicyDefaults();
    assertThat(chart.onForTls()).isTrue();
    assertThat(chart.operatorNamespace()).isEqualTo("etcd-system");
    assertThat(chart.operatorPodLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "etcd-operator",
        "app.kubernetes.io/instance", "ops"));
    assertThat(chart.metricsNamespaceLabels()).isEqualTo(Map.of("team", "observability"));
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("NETWORK_POLICY_OPERATOR_POD_LABELS", "app=")))
        .hasMessageStartingWith("NETWORK_POLICY_OPERATOR_POD_LABELS=app= is not a valid setting: use key=value pairs");
  }
}
