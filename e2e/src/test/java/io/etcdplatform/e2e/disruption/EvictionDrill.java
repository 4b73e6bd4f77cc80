package io.etcdplatform.e2e.disruption;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.etcdplatform.kube.ClusterNames;
import io.etcdplatform.testkit.AcknowledgedWrites;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A change made while a drain goes on: a writer through the client Service, the {@link QuorumMonitor}
 * and the {@link EvictionLoop}, started together and stopped together, the evictions first; closing
 * stops whatever still runs, so a failed change leaves nothing behind.
 */
public final class EvictionDrill implements AutoCloseable {

  private final Instant started = Instant.now();
  private final AcknowledgedWrites writes;
  private final QuorumMonitor monitor;
  private final EvictionLoop evictions;

  private EvictionDrill(AcknowledgedWrites writes, QuorumMonitor monitor, EvictionLoop evictions) {
    this.writes = writes;
    this.monitor = monitor;
    this.evictions = evictions;
  }

  /**
   * @param maxMembers the most members the cluster has during the change (the monitor asks them all)
   * @param lifetime how long the monitor and the evictions go on at most, should nobody stop them
   */
  public static EvictionDrill start(KubernetesClient client, EtcdCluster cluster, int maxMembers, Duration lifetime)
      throws InterruptedException {
    String namespace = cluster.getMetadata().getNamespace();
    String clientHost = ClusterNames.clientServiceHost(cluster.getMetadata().getName(), namespace);
    AcknowledgedWrites writes = new AcknowledgedWrites(List.of(
        ClusterNames.url(ClusterNames.scheme(cluster), clientHost, ClusterNames.CLIENT_PORT)));
    try {
      QuorumMonitor monitor = QuorumMonitor.start(cluster.getMetadata().getName(), namespace, maxMembers, lifetime);
      return new EvictionDrill(writes, monitor,
          EvictionLoop.start(client, namespace, ClusterLabels.selector(cluster), lifetime));
    } catch (InterruptedException | RuntimeException e) {
      writes.close();
      throw e;
    }
  }

  /**
   * Waits (at most {@code timeout}) for the first admitted eviction: a change made right after it
   * starts while a member is down, and the drill cannot pass without an eviction.
   */
  public void awaitAnAdmittedEviction(Duration timeout) {
    evictions.awaitAnAdmittedEviction(timeout);
  }

  /** Stops the evictions; the writer and the monitor go on, so the cluster can settle under their eyes. */
  public void stopEvicting() throws InterruptedException {
    evictions.close();
  }

  /** Stops everything and reports: the evictions, the quorum's verdict and the acknowledged writes missing. */
  public Report finish() throws Exception {
    evictions.close();
    QuorumVerdict quorum = monitor.stop();
    int acknowledged = writes.count();
    List<String> missing = writes.stopAndFindMissing();
    return new Report(evictions.counts(), quorum, acknowledged, missing, Duration.between(started, Instant.now()));
  }

  @Override
  public void close() throws Exception {
    try {
      evictions.close();
      monitor.close();
    } finally {
      writes.close();
    }
  }

  /** What a drill saw. */
  public record Report(EvictionLoop.Counts evictions, QuorumVerdict quorum, int acknowledgedWrites,
      List<String> missingWrites, Duration lasted) {

    @Override
    public String toString() {
      return "in " + lasted.toSeconds() + " s: " + evictions + "; quorum: " + quorum + "; " + acknowledgedWrites
          + " writes acknowledged, " + missingWrites.size() + " missing";
    }
  }
}
