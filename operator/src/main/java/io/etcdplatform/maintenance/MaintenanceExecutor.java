package io.etcdplatform.maintenance;

import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Compaction;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Defragmentation;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.maintenance.MaintenanceStep.Compact;
import io.etcdplatform.maintenance.MaintenanceStep.Defragment;
import io.etcdplatform.maintenance.MaintenanceStep.DisarmNoSpace;
import io.etcdplatform.maintenance.MaintenanceStep.MoveLeader;
import io.etcdplatform.observation.ClusterObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Performs one planned maintenance action through etcd and says what it did. */
public final class MaintenanceExecutor {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);
  private static final Duration COMPACTION_TIMEOUT = Duration.ofMinutes(2);
  /** How long the client Service's endpoints may take to drop a member held out. */
  static final Duration ENDPOINTS_TIMEOUT = Duration.ofSeconds(15);

  private final MemberAddresses addresses;
  private final ClientEndpoints endpoints;
  private final Clock clock;

  public MaintenanceExecutor(MemberAddresses addresses, ClientEndpoints endpoints, Clock clock) {
    this.addresses = addresses;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * @param memberTimeout the deadline of one member's defragmentation
   * @throws EtcdUnavailableException when etcd refused or did not answer; nothing is recorded
   */
  public MaintenanceResult execute(MaintenanceStep.Action step, ClusterObservation observation, EtcdConnection etcd,
      Duration memberTimeout) {
    log.info("{}: {}", addresses.cluster(), step.reason());
    if (step instanceof Compact compact) {
      etcd.compact(compact.revision(), COMPACTION_TIMEOUT);
      return new MaintenanceResult.Compacted(new Compaction(compact.revision(), Timestamps.of(clock.instant())));
    }
    if (step instanceof Defragment defragment) {
      return defragment(defragment, etcd, memberTimeout);
    }
    if (step instanceof MoveLeader move) {
      etcd.moveLeader(addresses.clientUrl(move.from()), move.toId());
      return new MaintenanceResult.LeaderMoved();
    }
    DisarmNoSpace disarm = (DisarmNoSpace) step;
    observation.members().stream().filter(m -> disarm.members().contains(m.name()))
        .forEach(m -> etcd.disarmNoSpace(m.id()));
    return new MaintenanceResult.Disarmed();
  }

  private MaintenanceResult defragment(Defragment defragment, EtcdConnection etcd, Duration memberTimeout) {
    // held out before the clock starts: the member is given back by ClientEndpointRule in a later pass
    if (defragment.holdOut() && !endpoints.holdOut(defragment.member(), ENDPOINTS_TIMEOUT)) {
      log.warn("{}: the client endpoints still list {} after {} s; defragmenting it all the same",
          addresses.cluster(), defragment.member(), ENDPOINTS_TIMEOUT.toSeconds());
    }
    Instant started = clock.instant();
    String url = addresses.clientUrl(defragment.member());
    etcd.defragment(url, memberTimeout);
    long after = etcd.status(url).getDbSize();
    Duration took = Duration.between(started, clock.instant());
    log.info("{}: defragmented {} in {} ms: {} -> {} bytes", addresses.cluster(), defragment.member(),
        took.toMillis(), defragment.bytesBefore(), after);
    return new MaintenanceResult.Defragmented(new Defragmentation(defragment.member(),
        Timestamps.of(clock.instant()), defragment.bytesBefore(), after, took.toMillis()));
  }
}
