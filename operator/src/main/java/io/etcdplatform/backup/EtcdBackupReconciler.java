package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.EtcdBackup;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus;
import io.etcdplatform.api.v1alpha1.EtcdBackupStatus.Phase;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.S3Destination;
import io.etcdplatform.backup.S3SnapshotStore.Location;
import io.etcdplatform.cluster.ClusterEvents;
import io.etcdplatform.cluster.KubernetesMemberAddresses;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.health.FleetMeters;
import io.etcdplatform.members.MemberObserver;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Takes the snapshot an EtcdBackup asks for, once: Pending, Running, then Succeeded with where it
 * is, how large, its sha256 and revision, or Failed with a message a person can act on, an Event
 * and the {@code etcdplatform_backups_total{result="failure"}} count. A finished backup is never
 * taken again.
 */
@ControllerConfiguration(name = EtcdBackupReconciler.NAME)
public class EtcdBackupReconciler implements Reconciler<EtcdBackup> {

  public static final String NAME = "etcdbackup";
  private static final Logger log = LoggerFactory.getLogger(EtcdBackupReconciler.class);

  private final EtcdConnections connections;
  private final FleetMeters meters;
  private final Duration storageTimeout;
  private final Duration snapshotTimeout;
  private final Clock clock;

  public EtcdBackupReconciler(EtcdConnections connections, FleetMeters meters, Duration storageTimeout,
      Duration snapshotTimeout, Clock clock) {
    this.connections = connections;
    this.meters = meters;
    this.storageTimeout = storageTimeout;
    this.snapshotTimeout = snapshotTimeout;
    this.clock = clock;
  }

  @Override
  public UpdateControl<EtcdBackup> reconcile(EtcdBackup backup, Context<EtcdBackup> context) {
    if (backup.getStatus() != null
        && (backup.getStatus().getPhase() == Phase.Succeeded || backup.getStatus().getPhase() == Phase.Failed)) {
      return UpdateControl.noUpdate();
    }
    KubernetesClient client = context.getClient();
    String namespace = backup.getMetadata().getNamespace();
    String clusterName = backup.getSpec().getClusterName();
    S3Destination s3 = backup.getSpec().getDestination().getS3();
    Instant started = clock.instant();
    EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(namespace).withName(clusterName).get();
    if (cluster == null) {
      return failed(client, backup, started, "EtcdCluster " + clusterName + " does not exist in namespace " + namespace
          + ": fix spec.clusterName, and create a new EtcdBackup");
    }
    S3SnapshotStore opened;
    try {
      opened = S3Stores.open(client, namespace, s3, storageTimeout);
    } catch (IllegalStateException e) {
      return failed(client, backup, started, e.getMessage());
    }
    client.resource(withStatus(backup, running(started))).patchStatus();

    Location location = new Location(s3.getBucket(), BackupKeys.of(s3.getPrefix(), clusterName,
        backup.getMetadata().getName()));
    try (S3SnapshotStore store = opened) {
      var addresses = new KubernetesMemberAddresses(cluster);
      var etcd = connections.forCluster("backup:" + namespace + "/" + clusterName, endpoints(cluster, addresses));
      var observation = MemberObserver.observe(etcd, addresses, List.of(), true, started);
      SnapshotBackup.Result result = SnapshotBackup.take(etcd, observation, addresses, store, location, snapshotTimeout);
      EtcdBackupStatus status = new EtcdBackupStatus();
      status.setPhase(Phase.Succeeded);
      status.setLocation(location.uri());
      status.setSizeBytes(result.stored().size());
      status.setSha256(result.stored().sha256());
      status.setRevision(result.revision());
      status.setMember(result.member());
      status.setStartTime(timestamp(started));
      status.setCompletionTime(timestamp(clock.instant()));
      status.setMessage("snapshot of " + result.member() + " at revision " + result.revision() + " stored in "
          + location.uri());
      meters.backupFinished(namespace, clusterName, true, clock.instant());
      ClusterEvents.normal(client, backup, "BackedUp", status.getMessage() + " (" + result.stored().size() + " bytes)");
      log.info("{}/{}: {}", namespace, backup.getMetadata().getName(), status.getMessage());
      return UpdateControl.patchStatus(withStatus(backup, status));
    } catch (EtcdUnavailableException e) {
      return failed(client, backup, started, "no member of " + clusterName + " could serve a snapshot ("
          + e.getMessage() + "): the cluster needs a healthy member; a scheduled backup tries again at its next run");
    } catch (SnapshotCorruptException e) {
      return failed(client, backup, started, e.getMessage() + "; nothing was stored");
    } catch (IOException | SdkException e) {
      return failed(client, backup, started, StorageFailures.explain(s3.getEndpoint(), s3.getBucket(), e));
    }
  }

  private UpdateControl<EtcdBackup> failed(KubernetesClient client, EtcdBackup backup, Instant started, String message) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Failed);
    status.setMessage(message);
    status.setStartTime(timestamp(started));
    status.setCompletionTime(timestamp(clock.instant()));
    meters.backupFinished(backup.getMetadata().getNamespace(), backup.getSpec().getClusterName(), false,
        clock.instant());
    ClusterEvents.warning(client, backup, "BackupFailed", message);
    log.warn("{}/{}: backup failed: {}", backup.getMetadata().getNamespace(), backup.getMetadata().getName(), message);
    return UpdateControl.patchStatus(withStatus(backup, status));
  }

  private static List<String> endpoints(EtcdCluster cluster, KubernetesMemberAddresses addresses) {
    var members = cluster.getStatus() == null ? null : cluster.getStatus().getMembers();
    if (members != null && !members.isEmpty()) {
      return members.stream().map(m -> addresses.clientUrl(m.getName())).toList();
    }
    return IntStream.range(0, cluster.getSpec().getReplicas()).mapToObj(i -> addresses.clientUrl(addresses.name(i)))
        .toList();
  }

  private static EtcdBackupStatus running(Instant started) {
    EtcdBackupStatus status = new EtcdBackupStatus();
    status.setPhase(Phase.Running);
    status.setStartTime(timestamp(started));
    status.setMessage("taking a snapshot");
    return status;
  }

  private static EtcdBackup withStatus(EtcdBackup backup, EtcdBackupStatus status) {
    EtcdBackup patch = new EtcdBackup();
    patch.setMetadata(new ObjectMetaBuilder().withName(backup.getMetadata().getName())
        .withNamespace(backup.getMetadata().getNamespace()).build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  private static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
