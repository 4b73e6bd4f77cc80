package io.etcdplatform;

import io.etcdplatform.backup.ScheduledBackups;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.etcdplatform.backup.BackupScheduleReconciler;
import io.etcdplatform.backup.EtcdBackupReconciler;
import io.etcdplatform.backup.RestoreSnapshot;
import io.etcdplatform.backup.SnapshotFileCommands;
import io.etcdplatform.backup.VerifySnapshot;
import io.etcdplatform.cluster.EtcdClusterReconciler;
import io.etcdplatform.config.OperatorConfig;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.runtime.HttpEndpoints;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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
import java.net.BindException;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Wiring only: config -> clients -> reconcilers -> HTTP. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      // the commands the operator image runs in init containers and Jobs
      switch (args[0]) {
        case "restore-snapshot" -> System.exit(RestoreSnapshot.run(System.getenv()));
        case "save-snapshot" -> System.exit(SnapshotFileCommands.save(System.getenv()));
        case "delete-snapshot" -> System.exit(SnapshotFileCommands.delete(System.getenv()));
        case "verify-snapshot" -> System.exit(VerifySnapshot.run(System.getenv()));
        default -> {
          System.err.println("unknown command " + args[0] + ": use restore-snapshot, save-snapshot, delete-snapshot or verify-snapshot, "
              + "or none to run the operator");
          System.exit(2);
        }
      }
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    RunningOperator running;
    try {
      running = start(OperatorConfig.from(System.getenv()), Config.autoConfigure(null), () -> {
        log.error("exiting: the pod restarts this replica afresh");
        System.exit(1);
      });
    } catch (Exception e) {
      Throwable cause = rootCause(e);
      log.error("cannot start: {}. {}", cause.getMessage(), cause instanceof BindException
          ? "The HTTP port is taken: choose another with HTTP_PORT (or one address with HTTP_ADDRESS)"
          : "Check the settings, that the CRDs are installed (kubectl apply --server-side -f crds/) and that the "
              + "operator may list and watch EtcdClusters", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      running.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Starts the operator and its HTTP endpoints; also used by tests. {@code exitProcess} runs when
   * this replica must not go on: it lost the leader lease while running (two replicas must never
   * reconcile side by side), or an informer stopped for good after it had synced (its cache would
   * go stale). The operator's process exits and its pod restarts; a test's JVM carries on.
   */
  public static RunningOperator start(OperatorConfig config, Config kubernetes, Runnable exitProcess)
      throws Exception {
    // Members' pod IPs change on every restart and new members' names appear as they start: the
    // JDK's defaults (30 s for an answer, 10 s for "no such host") would keep the operator from
    // seeing either for that long.
    Security.setProperty("networkaddress.cache.ttl", "5");
    Security.setProperty("networkaddress.cache.negative.ttl", "1");
    PrometheusMeterRegistry registry = registry();
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean leading = new AtomicBoolean(!config.leaderElection());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(withDeadlines(kubernetes, config)).build();
    Operator operator = operator(config, client, registry, stopping, leading, exitProcess);
    EtcdConnections etcd = new EtcdConnections(config.etcdRequestTimeout());
    EtcdClusterReconciler reconciler = registerControllers(operator, config, registry, etcd);
    // A standby replica is ready: were it not, a rolling update would wait forever for a new pod
    // that cannot lead before the old one, still holding the lease, is gone.
    HttpEndpoints http = new HttpEndpoints(config.httpListenAddress(), registry,
        () -> operator.getRuntimeInfo().isStarted()
            && (!leading.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy()))
        .start();
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "housekeeping");
      thread.setDaemon(true);
      return thread;
    });
    housekeeping.scheduleWithFixedDelay(reconciler::forgetDeletedClusters, 30, 30, TimeUnit.SECONDS);
    RunningOperator running = new RunningOperator(operator, client, etcd, http, housekeeping, stopping);
    try {
      operator.start();
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    log.info("etcd-platform operator started: namespaces={}, leaderElection={}, http port {}",
        config.watchesAllNamespaces() ? "all" : config.watchNamespaces(), config.leaderElection(), http.port());
    return running;
  }

  /** The JVM's and the process's meters, and room for ours. */
  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  private static Operator operator(OperatorConfig config, KubernetesClient client, PrometheusMeterRegistry registry,
      AtomicBoolean stopping, AtomicBoolean leading, Runnable exitProcess) {
    return new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withInformerStoppedHandler((informer, error) -> {
            if (error != null && informer.hasSynced()) {
              log.error("the informer of {} stopped for good", informer.getApiTypeClass().getSimpleName(), error);
              exitProcess.run();
            }
          })
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(leaderElection(config, stopping, leading, exitProcess));
      }
    });
  }

  /** The three controllers: the cluster's pass, its backup schedule, and one EtcdBackup each. */
  private static EtcdClusterReconciler registerControllers(Operator operator, OperatorConfig config,
      PrometheusMeterRegistry registry, EtcdConnections etcd) {
    FleetMeters fleetMeters = new FleetMeters(registry);
    EtcdClusterReconciler clusters = new EtcdClusterReconciler(config, registry, fleetMeters, etcd, Clock.systemUTC());
    operator.register(clusters, controller -> watched(config, controller));
    operator.register(new BackupScheduleReconciler(new ScheduledBackups(config.storageRequestTimeout(),
        config.operatorImage()), Clock.systemUTC()), controller -> watched(config, controller));
    operator.register(new EtcdBackupReconciler(etcd, fleetMeters, config.storageRequestTimeout(),
        config.backupTimeout(), config.maxConcurrentBackups(), config.operatorImage(), Clock.systemUTC()),
        controller -> watched(config, controller));
    return clusters;
  }

  /**
   * A replica that loses its lease while running exits; one that gives the lease up because it is
   * stopping does not (JOSDK's own exit-on-stop-leading would call System.exit from the shutdown
   * hook and hang it).
   */
  private static LeaderElectionConfiguration leaderElection(OperatorConfig config, AtomicBoolean stopping,
      AtomicBoolean leading, Runnable exitProcess) {
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          leading.set(true);
          log.info("became the leader: reconciling");
        },
        () -> {
          leading.set(false);
          if (!stopping.get()) {
            log.error("lost the leader lease {}/{}", config.leaderElectionNamespace(), config.leaseName());
            exitProcess.run();
          }
        },
        leader -> log.info("leader is {}", leader));
    return new LeaderElectionConfiguration(config.leaseName(), config.leaderElectionNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null, callbacks, false);
  }

  private static void watched(OperatorConfig config, ControllerConfigurationOverrider<?> controller) {
    if (!config.watchesAllNamespaces()) {
      controller.settingNamespaces(config.watchNamespaces());
    }
  }

  /** Every request to the API server has a deadline. */
  private static Config withDeadlines(Config kubernetes, OperatorConfig config) {
    int timeoutMillis = (int) config.kubernetesRequestTimeout().toMillis();
    return new ConfigBuilder(kubernetes)
        .withRequestTimeout(timeoutMillis)
        .withConnectionTimeout(Math.min(timeoutMillis, 10_000))
        .build();
  }

  /** A started operator; closing it stops reconciling, then closes the etcd connections, the HTTP port and the client. */
  public record RunningOperator(Operator operator, KubernetesClient client, EtcdConnections etcd,
      HttpEndpoints http, ScheduledExecutorService housekeeping, AtomicBoolean stopping) implements AutoCloseable {

    @Override
    public void close() {
      stopping.set(true);
      housekeeping.shutdownNow();
      operator.stop();
      etcd.close();
      http.close();
      client.close();
    }
  }
}
