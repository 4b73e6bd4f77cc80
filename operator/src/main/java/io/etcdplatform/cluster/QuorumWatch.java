package io.etcdplatform.cluster;

import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.MemberObserver;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between passes, asks the voting members of every cluster a pass has seen for their status, every
 * few seconds, all at once and without blocking a thread, and brings a pass as soon as the answers
 * cross the quorum line either way. A settled cluster is otherwise passed over once per health
 * interval (a minute by default), so a lost quorum showed in the status only after a minute or more.
 */
public final class QuorumWatch extends AbstractEventSource<Void, EtcdCluster> {

  private static final Logger log = LoggerFactory.getLogger(QuorumWatch.class);

  private final EtcdConnections connections;
  private final Duration interval;
  private final Duration deadline;
  private final Map<ResourceID, Watched> watched = new ConcurrentHashMap<>();
  private final Map<ResourceID, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
  private final Set<ResourceID> inFlight = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;

  /**
   * What the watch knows of one cluster: whom to ask (voters' IDs and client URLs), whether the last
   * pass found a quorum, and what the last probe answered (empty before the first).
   */
  record Watched(ClusterAccess access, Map<Long, String> voters, boolean passHadQuorum,
      Optional<Boolean> lastProbe) {

    /**
     * A probe that crossed the line since the last one (or, the first time, found no quorum where the
     * pass had found one) brings a pass. Comparing probes with probes, not with passes, keeps a pass
     * that counts more than etcd's word (a pod going away) from being woken again and again.
     */
    boolean crossedQuorum(boolean probeHasQuorum) {
      return lastProbe.map(last -> last != probeHasQuorum).orElse(passHadQuorum && !probeHasQuorum);
    }

    Watched probed(boolean probeHasQuorum) {
      return new Watched(access, voters, passHadQuorum, Optional.of(probeHasQuorum));
    }
  }

  /**
   * @param interval between two probes of a cluster; zero: no probes
   * @param etcdDeadline the deadline of etcd requests; a probe's is half the interval, at most this
   */
  public QuorumWatch(EtcdConnections connections, Duration interval, Duration etcdDeadline) {
    super(Void.class, "quorum-watch");
    this.connections = connections;
    this.interval = interval;
    Duration half = interval.dividedBy(2);
    this.deadline = half.compareTo(etcdDeadline) < 0 ? half : etcdDeadline;
  }

  /** After a pass observed a cluster: watch it with the voters the pass saw (the last known ones when none answered). */
  public void watch(ResourceID id, ClusterAccess access, ClusterObservation observation) {
    if (interval.isZero() || !isRunning() || !observation.formedBefore() && !observation.reachable()) {
      return;
    }
    Map<Long, String> voters = new LinkedHashMap<>();
    observation.voters().forEach(m -> voters.put(m.id(), access.clientUrl(m.name())));
    Watched previous = watched.get(id);
    if (voters.isEmpty() && previous == null) {
      return;
    }
    watched.put(id, new Watched(access, voters.isEmpty() ? previous.voters() : voters, observation.hasQuorum(),
        previous == null ? Optional.empty() : previous.lastProbe()));
    schedules.computeIfAbsent(id, this::schedule);
  }

  /** A paused or refused cluster, or one that is gone: no more probes. */
  void forget(ResourceID id) {
    watched.remove(id);
    Optional.ofNullable(schedules.remove(id)).ifPresent(f -> f.cancel(false));
  }

  void retainOnly(Set<ResourceID> existing) {
    Set.copyOf(watched.keySet()).stream().filter(id -> !existing.contains(id)).forEach(this::forget);
  }

  /** Each cluster at its own phase of the interval, so that a fleet's probes do not fall due together. */
  private ScheduledFuture<?> schedule(ResourceID id) {
    long period = interval.toMillis();
    return scheduler.scheduleAtFixedRate(() -> probe(id), Math.floorMod(id.hashCode(), period), period,
        TimeUnit.MILLISECONDS);
  }

  private void probe(ResourceID id) {
    Watched cluster = watched.get(id);
    if (cluster == null || !isRunning() || !inFlight.add(id)) {
      return;
    }
    try {
      connections.forCluster(cluster.access()).statusesAsync(cluster.voters().values(), deadline)
          .whenComplete((answers, failure) -> {
            inFlight.remove(id);
            if (answers != null) {
              decide(id, cluster, answers);
            }
          });
    } catch (RuntimeException e) {
      inFlight.remove(id);
      log.debug("{}: quorum probe failed: {}", cluster.access().key(), e.getMessage());
    }
  }

  private void decide(ResourceID id, Watched cluster, Map<String, StatusResponse> answers) {
    long serving = cluster.voters().entrySet().stream()
        .filter(v -> MemberObserver.servesAsMember(v.getKey(), answers.get(v.getValue()))).count();
    boolean hasQuorum = serving >= ClusterObservation.quorum(cluster.voters().size());
    boolean crossed = cluster.crossedQuorum(hasQuorum);
    watched.computeIfPresent(id, (k, current) -> current.probed(hasQuorum));
    if (crossed) {
      log.info("{}: {} of {} voting members answer: quorum {}; reconciling now", cluster.access().key(), serving,
          cluster.voters().size(), hasQuorum ? "regained" : "lost");
      getEventHandler().handleEvent(new Event(id));
    }
  }

  @Override
  public void start() {
    if (!isRunning()) {
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "quorum-watch");
        thread.setDaemon(true);
        return thread;
      });
      super.start();
    }
  }

  @Override
  public void stop() {
    if (isRunning()) {
      super.stop();
      scheduler.shutdownNow();
      schedules.clear();
    }
  }

  @Override
  public Set<Void> getSecondaryResources(EtcdCluster primary) {
    return Set.of();
  }
}
