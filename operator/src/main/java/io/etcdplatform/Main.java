package io.etcdplatform;

import io.etcdplatform.cluster.EtcdClusterReconciler;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.runtime.HttpEndpoints;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wiring only: config -> clients -> reconcilers -> HTTP. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    OperatorConfig config = OperatorConfig.from(System.getenv());
    RunningOperator running = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      running.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  /** Starts the operator and its HTTP endpoints; also used by tests and the demo. */
  public static RunningOperator start(OperatorConfig config) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    KubernetesClient client = new KubernetesClientBuilder().withConfig(kubernetesConfig(config)).build();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(
            new LeaderElectionConfiguration(config.leaseName(), config.leaderElectionNamespace()));
      }
    });
    operator.register(new EtcdClusterReconciler(config, Clock.systemUTC()), controller -> {
      if (!config.watchesAllNamespaces()) {
        controller.settingNamespaces(config.watchNamespaces());
      }
    });
    HttpEndpoints http = new HttpEndpoints(config.httpPort(), registry,
        () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy())
        .start();
    operator.start();
    log.info("etcd-platform operator started: namespaces={}, leaderElection={}, http port {}",
        config.watchesAllNamespaces() ? "all" : config.watchNamespaces(), config.leaderElection(), http.port());
    return new RunningOperator(operator, client, http);
  }

  private static Config kubernetesConfig(OperatorConfig config) {
    int timeoutMillis = (int) config.kubernetesRequestTimeout().toMillis();
    return new ConfigBuilder(Config.autoConfigure(null))
        .withRequestTimeout(timeoutMillis)
        .withConnectionTimeout(Math.min(timeoutMillis, 10_000))
        .build();
  }

  /** A started operator; closing it stops reconciling, then the HTTP port, then the client. */
  public record RunningOperator(Operator operator, KubernetesClient client, HttpEndpoints http)
      implements AutoCloseable {

    @Override
    public void close() {
      operator.stop();
      http.close();
      client.close();
    }
  }
}
