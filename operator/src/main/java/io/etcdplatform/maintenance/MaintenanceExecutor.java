package io.etcdplatform.maintenance;

import io.etcd.jetcd.maintenance.AlarmType;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Compaction;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Defragmentation;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.maintenance.MaintenanceStep.Compact;
import io.etcdplatform.maintenance.MaintenanceStep.Defragment;
import io.etcdplatform.maintenance.MaintenanceStep.DisarmNoSpace;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.etcd.MemberAddresses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out one maintenance step through etcd and returns the status that records it. */
public final class MaintenanceExecutor {

  private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);
  private static final Duration COMPACTION_TIMEOUT = Duration.ofMinutes(2);

  private final MemberAddresses addresses;
  private final Clock clock;

  public MaintenanceExecutor(MemberAddresses addresses, Clock clock) {
    this.addresses = addresses;
    this.clock = clock;
  }

  /**
   * @param memberTimeout the deadline of one member's defragmentation
   * @throws EtcdUnavailableException when etcd refused or did not answer; nothing is recorded
   */
  public MaintenanceStatus execute(MaintenanceStep step, ClusterObservation observation, List<MaintenancePlanner.Alarm> alarms,
      EtcdConnection etcd, MaintenanceStatus status, Duration memberTimeout) {
    Instant started = clock.instant();
    if (step instanceof Compact compact) {
      etcd.compact(compact.revision(), COMPACTION_TIMEOUT);
      status.setLastCompaction(new Compaction(compact.revision(), MaintenancePlanner.timestamp(clock.instant())));
    } else if (step instanceof Defragment defragment) {
      String url = addresses.clientUrl(defragment.member());
      etcd.defragment(url, memberTimeout);
      long after = etcd.status(url).getDbSize();
      Duration took = Duration.between(started, clock.instant());
      record(status, new Defragmentation(defragment.member(), MaintenancePlanner.timestamp(clock.instant()),
          defragment.bytesBefore(), after, took.toMillis()));
      log.info("{}: defragmented {} in {} ms: {} -> {} bytes", addresses.cluster(), defragment.member(),
          took.toMillis(), defragment.bytesBefore(), after);
    } else if (step instanceof DisarmNoSpace) {
      for (MaintenancePlanner.Alarm alarm : alarms) {
        if (MaintenancePlanner.NOSPACE.equals(alarm.type())) {
          observation.members().stream().filter(m -> m.name().equals(alarm.member())).findFirst()
              .ifPresent(m -> etcd.disarm(m.id(), AlarmType.NOSPACE));
        }
      }
    } else {
      throw new IllegalArgumentException(step + " is not an action");
    }
    return status;
  }

  private static void record(MaintenanceStatus status, Defragmentation done) {
    List<Defragmentation> all = new ArrayList<>(status.getDefragmentations() == null ? List.of()
        : status.getDefragmentations());
    all.removeIf(d -> d.getMember().equals(done.getMember()));
    all.add(done);
    all.sort(Comparator.comparing(Defragmentation::getMember));
    status.setDefragmentations(all);
  }
}
