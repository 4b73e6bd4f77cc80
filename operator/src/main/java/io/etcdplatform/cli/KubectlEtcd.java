package io.etcdplatform.cli;

import io.etcdplatform.api.v1alpha1.BackupDestination;
import io.etcdplatform.api.v1alpha1.BackupVerification;
import io.etcdplatform.api.v1alpha1.BootstrapSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupSpec;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.cli.Progress.Look;
import io.etcdplatform.cli.Progress.Outcome;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.File;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code kubectl etcd}: the operator's answers and requests from a terminal. It only reads the
 * objects and writes the annotations and custom resources the operator already understands; it
 * never speaks to etcd. Exit codes: 0 done, 1 failed (not found, refused, the operator reported a
 * failure, timed out), 2 a command line that cannot be run.
 */
public final class KubectlEtcd {

  static final String USAGE = """
      Usage: kubectl etcd COMMAND [flags]

        status [CLUSTER]                 the cluster(s), members, alarms, last backup and defragmentation
        diagnose CLUSTER                 conditions, alarms, consistency and quota: what needs a person
        defrag CLUSTER                   a rolling defragmentation (the etcdplatform.io/defragment annotation)
        backup CLUSTER [--name N] [--verify]
                                         an EtcdBackup to spec.backup.destination (else where the
                                         cluster's newest backup went), with --verify its drill
        verify BACKUP                    a restore drill of the backup (the etcdplatform.io/verify annotation)
        restore BACKUP --into CLUSTER    a new EtcdCluster started from the backup

      Flags: -n/--namespace NS, -o/--output json|yaml, --kubeconfig FILE, --context NAME,
             --timeout 15m (how long to follow progress), --no-wait (request, do not follow)
      """;
  private static final DateTimeFormatter BACKUP_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final Arguments args;
  private final String namespace;
  private final PrintStream out;
  private final Progress progress;
  private final Clock clock;

  KubectlEtcd(KubernetesClient client, Arguments args, PrintStream out, PrintStream err, Clock clock) {
    this.client = client;
    this.args = args;
    this.namespace = args.namespace().or(() -> Optional.ofNullable(client.getNamespace())).orElse("default");
    this.out = out;
    this.progress = new Progress(err, clock);
    this.clock = clock;
  }

  public static void main(String[] argv) {
    System.exit(run(argv, System.out, System.err));
  }

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Arguments args;
    try {
      args = Arguments.parse(argv);
    } catch (Arguments.UsageError e) {
      err.println("error: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    if (args.command().equals("help")) {
      out.print(USAGE);
      return 0;
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config(args)).build()) {
      return new KubectlEtcd(client, args, out, err, Clock.systemUTC()).execute() ? 0 : 1;
    } catch (Arguments.UsageError e) {
      err.println("error: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    } catch (Failure | Progress.TimedOut e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (KubernetesClientException e) {
      err.println("error: the API server refused: " + Optional.ofNullable(e.getStatus())
          .map(s -> s.getMessage()).orElse(e.getMessage()));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** The kubeconfig kubectl would use (KUBECONFIG, ~/.kube/config) unless named; every call bounded. */
  private static Config config(Arguments args) {
    Config config = args.kubeconfig()
        .map(file -> Config.fromKubeconfig(args.context().orElse(null), new File(file)))
        .orElseGet(() -> Config.autoConfigure(args.context().orElse(null)));
    config.setRequestTimeout(30_000);
    config.setConnectionTimeout(10_000);
    config.setRequestRetryBackoffLimit(2);
    return config;
  }

  /** A request the cluster or the operator refused, or an object that is not there. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  /** Runs the command; false when the operator reported that what was asked failed. */
  boolean execute() throws InterruptedException {
    return switch (args.command()) {
      case "status" -> status();
      case "diagnose" -> diagnose();
      case "defrag" -> defragment();
      case "backup" -> backup();
      case "verify" -> verify();
      case "restore" -> restore();
      default -> throw new Arguments.UsageError("unknown command " + args.command());
    };
  }

  private boolean status() {
    if (args.names().isEmpty()) {
      List<EtcdCluster> clusters = clusters().list().getItems();
      print(clusters, () -> ClusterReport.clusters(clusters));
      return true;
    }
    EtcdCluster cluster = existing(clusters().withName(args.name("cluster")), "EtcdCluster", args.name("cluster"));
    print(cluster, () -> ClusterReport.status(cluster));
    return true;
  }

  private boolean diagnose() {
    EtcdCluster cluster = existing(clusters().withName(args.name("cluster")), "EtcdCluster", args.name("cluster"));
    print(cluster, () -> ClusterReport.diagnose(cluster));
    return true;
  }

  private boolean defragment() throws InterruptedException {
    String name = args.name("cluster");
    var resource = clusters().withName(name);
    existing(resource, "EtcdCluster", name);
    Instant requested = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    annotate(resource, EtcdCluster.DEFRAGMENT_ANNOTATION, requested.toString());
    if (!args.follow()) {
      return done(resource.get(), "defragmentation of " + name + " requested");
    }
    Outcome<EtcdCluster> outcome = progress.follow("defragmenting " + name, args.timeout(),
        () -> existing(resource, "EtcdCluster", name), c -> defragmentationProgress(c, requested));
    return done(outcome.result(), "every member of " + name + " defragmented") && outcome.succeeded();
  }

  static Look<EtcdCluster> defragmentationProgress(EtcdCluster cluster, Instant requested) {
    MaintenanceStatus maintenance = Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getMaintenance)
        .orElseGet(MaintenanceStatus::new);
    long done = Optional.ofNullable(maintenance.getDefragmentations()).orElse(List.of()).stream()
        .filter(d -> !Instant.parse(d.getTime()).isBefore(requested))
        .map(MaintenanceStatus.Defragmentation::getMember).distinct().count();
    int members = Optional.ofNullable(cluster.getStatus()).map(EtcdClusterStatus::getMembers).map(List::size).orElse(0);
    String line = done + " of " + members + " members defragmented";
    if (requested.toString().equals(maintenance.getDefragmentationRequest())) {
      return Look.done(line, cluster, true);
    }
    return Look.running(maintenance.getMessage() == null ? line : line + " (" + maintenance.getMessage() + ")");
  }

  private boolean backup() throws InterruptedException {
    String clusterName = args.name("cluster");
    EtcdCluster cluster = existing(clusters().withName(clusterName), "EtcdCluster", clusterName);
    BackupDestination destination = destination(cluster, client.resources(EtcdBackup.class).inNamespace(namespace)
        .list().getItems()).orElseThrow(() -> new Failure("EtcdCluster " + clusterName + " has no "
            + "spec.backup.destination and no EtcdBackup to take one from: set spec.backup.destination, or create "
            + "an EtcdBackup with its spec.destination (docs/operations.md)"));
    EtcdBackup backup = new EtcdBackup();
    backup.getMetadata().setName(args.backupName().orElse(clusterName + "-" + BACKUP_SUFFIX.format(clock.instant())));
    backup.getMetadata().setNamespace(namespace);
    backup.setSpec(new EtcdBackupSpec());
    backup.getSpec().setClusterName(clusterName);
    backup.getSpec().setDestination(destination);
    backup.getSpec().setVerify(args.verify());
    var resource = client.resource(backup);
    resource.create();
    if (!args.follow()) {
      return done(resource.get(), "EtcdBackup " + backup.getMetadata().getName() + " created");
    }
    Outcome<EtcdBackup> outcome = progress.follow("backing up " + clusterName + " as " + backup.getMetadata().getName(),
        args.timeout(), () -> existing(resource, "EtcdBackup", backup.getMetadata().getName()), b -> backupProgress(b, args.verify()));
    return done(outcome.result(), "EtcdBackup " + backup.getMetadata().getName() + " "
        + (outcome.succeeded() ? "succeeded" : "did not succeed: " + outcome.result().getStatus().getMessage()))
        && outcome.succeeded();
  }

  /** Where a backup asked for by name goes: spec.backup's destination, else that of the cluster's newest backup. */
  static Optional<BackupDestination> destination(EtcdCluster cluster, List<EtcdBackup> backups) {
    if (cluster.getSpec().getBackup() != null && cluster.getSpec().getBackup().getDestination() != null) {
      return Optional.of(cluster.getSpec().getBackup().getDestination());
    }
    return backups.stream()
        .filter(b -> cluster.getMetadata().getName().equals(b.getSpec().getClusterName()))
        .filter(b -> b.getSpec().getDestination() != null)
        .max(Comparator.comparing((EtcdBackup b) -> Instant.parse(b.getMetadata().getCreationTimestamp()))
            .thenComparing(b -> b.getMetadata().getName()))
        .map(b -> b.getSpec().getDestination());
  }

  static Look<EtcdBackup> backupProgress(EtcdBackup backup, boolean drill) {
    EtcdBackupStatus status = backup.getStatus();
    if (status == null || status.getPhase() == null) {
      return Look.running("waiting for the operator");
    }
    String line = status.getPhase() + Optional.ofNullable(status.getMessage()).map(m -> ": " + m).orElse("");
    return switch (status.getPhase()) {
      case Succeeded -> drill ? drillProgress(backup, null) : Look.done(line, backup, true);
      case Failed, Skipped -> Look.done(line, backup, false);
      default -> Look.running(line);
    };
  }

  private boolean verify() throws InterruptedException {
    String name = args.name("backup");
    var resource = client.resources(EtcdBackup.class).inNamespace(namespace).withName(name);
    existing(resource, "EtcdBackup", name);
    String request = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    annotate(resource, EtcdBackup.VERIFY_ANNOTATION, request);
    if (!args.follow()) {
      return done(resource.get(), "restore drill of " + name + " requested");
    }
    Outcome<EtcdBackup> outcome = progress.follow("verifying " + name, args.timeout(),
        () -> existing(resource, "EtcdBackup", name), b -> drillProgress(b, request));
    return done(outcome.result(), "restore drill of " + name + " " + (outcome.succeeded() ? "passed" : "FAILED"))
        && outcome.succeeded();
  }

  /** A drill's progress; {@code request} the annotation's value asked for, null for the backup's own spec.verify. */
  static Look<EtcdBackup> drillProgress(EtcdBackup backup, String request) {
    BackupVerification drill = Optional.ofNullable(backup.getStatus()).map(EtcdBackupStatus::getVerification)
        .orElse(null);
    if (drill == null || drill.getPhase() == null || (request != null && !request.equals(drill.getRequest()))) {
      return Look.running("restore drill waiting for the operator");
    }
    String line = "restore drill " + drill.getPhase() + Optional.ofNullable(drill.getMessage()).map(m -> ": " + m)
        .orElse("");
    return switch (drill.getPhase()) {
      case Passed -> Look.done(line, backup, true);
      case Failed -> Look.done(line, backup, false);
      default -> Look.running(line);
    };
  }

  private boolean restore() throws InterruptedException {
    String backupName = args.name("backup");
    String into = args.into().orElseThrow(() -> new Arguments.UsageError("restore needs --into NEW-CLUSTER"));
    EtcdBackup backup = existing(client.resources(EtcdBackup.class).inNamespace(namespace).withName(backupName),
        "EtcdBackup", backupName);
    if (clusters().withName(into).get() != null) {
      throw new Failure("EtcdCluster " + into + " exists already: a backup is restored into a new cluster only; "
          + "choose another --into");
    }
    EtcdCluster restored = new EtcdCluster();
    restored.getMetadata().setName(into);
    restored.getMetadata().setNamespace(namespace);
    restored.setSpec(specLike(clusters().withName(backup.getSpec().getClusterName()).get()));
    restored.getSpec().setBootstrap(new BootstrapSpec());
    restored.getSpec().getBootstrap().setFromBackup(new BootstrapSpec.FromBackup());
    restored.getSpec().getBootstrap().getFromBackup().setBackupName(backupName);
    var resource = client.resource(restored);
    resource.create();
    if (!args.follow()) {
      return done(resource.get(), "EtcdCluster " + into + " created from " + backupName);
    }
    Outcome<EtcdCluster> outcome = progress.follow("restoring " + backupName + " into " + into, args.timeout(),
        () -> existing(resource, "EtcdCluster", into), KubectlEtcd::restoreProgress);
    return done(outcome.result(), "EtcdCluster " + into + " runs on the data of " + backupName)
        && outcome.succeeded();
  }

  /** The backed-up cluster's size, release, storage and resources when it still exists; the defaults otherwise. */
  static EtcdClusterSpec specLike(EtcdCluster source) {
    EtcdClusterSpec spec = new EtcdClusterSpec();
    if (source != null) {
      spec.setReplicas(source.getSpec().getReplicas());
      spec.setVersion(source.getSpec().getVersion());
      spec.setStorage(source.getSpec().getStorage());
      spec.setResources(source.getSpec().getResources());
    }
    return spec;
  }

  static Look<EtcdCluster> restoreProgress(EtcdCluster cluster) {
    EtcdClusterStatus status = cluster.getStatus();
    if (status == null || status.getPhase() == null) {
      return Look.running("waiting for the operator");
    }
    var progressing = Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> "Progressing".equals(c.getType())).findFirst();
    String line = status.getPhase() + " " + Optional.ofNullable(status.getReady()).orElse("")
        + progressing.map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")").orElse("");
    if (status.getPhase() == EtcdClusterStatus.Phase.Running) {
      return Look.done(line, cluster, true);
    }
    if (progressing.filter(c -> "RestoreFailed".equals(c.getReason())).isPresent()) {
      return Look.done(line, cluster, false);
    }
    return Look.running(line);
  }

  private NonNamespaceOperation<EtcdCluster, KubernetesResourceList<EtcdCluster>, Resource<EtcdCluster>> clusters() {
    return client.resources(EtcdCluster.class).inNamespace(namespace);
  }

  private <T extends HasMetadata> T existing(Resource<T> resource, String kind, String name) {
    T object = resource.get();
    if (object == null) {
      throw new Failure(kind + " " + name + " not found in namespace " + namespace);
    }
    return object;
  }

  private static <T extends HasMetadata> void annotate(Resource<T> resource, String key, String value) {
    resource.edit(object -> {
      Map<String, String> annotations = new HashMap<>(Optional.ofNullable(object.getMetadata().getAnnotations())
          .orElse(Map.of()));
      annotations.put(key, value);
      object.getMetadata().setAnnotations(annotations);
      return object;
    });
  }

  private boolean done(Object result, String words) {
    print(result, () -> words + "\n");
    return true;
  }

  private void print(Object result, Supplier<String> table) {
    switch (args.output()) {
      case JSON -> out.println(client.getKubernetesSerialization().asJson(result));
      case YAML -> out.print(client.getKubernetesSerialization().asYaml(result));
      case TABLE -> out.print(table.get());
    }
  }
}
