package io.etcdplatform.cluster;

import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.KeyspaceInspectionSpec;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.insight.KeyspaceBudget;
import io.etcdplatform.insight.KeyspaceInspectionDue;
import io.etcdplatform.insight.KeyspaceInspector;
import io.etcdplatform.insight.KeyspaceReport;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.metrics.FleetMeters;
import io.etcdplatform.observation.EtcdMemberState;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyspace inspection of a steady cluster when it is due (spec.keyspaceInspection's schedule or
 * the annotation): keys counted per prefix on a follower, within the spec's budget of keys and
 * seconds, recorded in the status, an Event and the top prefixes' meters.
 */
final class KeyspaceStage {

  private static final Logger log = LoggerFactory.getLogger(KeyspaceStage.class);
  private static final int PAGE_SIZE = 1000;

  private final FleetMeters meters;
  private final Clock clock;

  KeyspaceStage(FleetMeters meters, Clock clock) {
    this.meters = meters;
    this.clock = clock;
  }

  /** The inspection's status when one ran this pass; empty when none was due or no follower answered. */
  Optional<KeyspaceStatus> inspect(ClusterPass pass, Observed observed) {
    KeyspaceInspectionSpec spec = Optional.ofNullable(pass.cluster().getSpec().getKeyspaceInspection())
        .orElseGet(KeyspaceInspectionSpec::new);
    KeyspaceStatus last = Optional.ofNullable(pass.cluster().getStatus()).map(EtcdClusterStatus::getKeyspace)
        .orElse(null);
    String annotation = Optional.ofNullable(pass.cluster().getMetadata().getAnnotations())
        .map(a -> a.get(KeyspaceInspectionDue.ANNOTATION)).orElse(null);
    Optional<KeyspaceInspectionDue.Reason> due = KeyspaceInspectionDue.check(spec, annotation, last, pass.now());
    if (due.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> members = observed.observation().voters().stream().map(EtcdMemberState::name)
        .collect(Collectors.toMap(observed.access()::clientUrl, name -> name));
    Optional<KeyspaceInspector.Inspection> inspection;
    try {
      inspection = new KeyspaceInspector(observed.etcd(), PAGE_SIZE, clock).inspect(members.keySet(), spec.getDepth(),
          spec.getTopPrefixes(), new KeyspaceBudget(spec.getMaxKeys(), Duration.ofSeconds(spec.getMaxSeconds())));
    } catch (RuntimeException e) {
      log.warn("keyspace inspection of {}/{} failed: {}", pass.namespace(), pass.name(), e.toString());
      pass.events().warningOnce(pass.cluster(), "KeyspaceInspectionFailed", "the keyspace inspection ("
          + due.get().words() + ") failed and is tried again at the next pass: " + e.getMessage());
      return Optional.empty();
    }
    if (inspection.isEmpty()) {
      return Optional.empty(); // no follower answered: tried again at the next pass
    }
    KeyspaceStatus status = status(inspection.get(), members.get(inspection.get().readFrom()), due.get(), pass);
    meters.keyspace(pass.namespace(), pass.name(), status.getPrefixes().stream().collect(Collectors.toMap(
        KeyspaceStatus.Prefix::getPrefix, KeyspaceStatus.Prefix::getKeys, (a, b) -> a, LinkedHashMap::new)),
        status.getTotalKeys());
    pass.events().normal(pass.cluster(), "KeyspaceInspected", summary(status, inspection.get().report(),
        due.get()));
    return Optional.of(status);
  }

  private static KeyspaceStatus status(KeyspaceInspector.Inspection inspection, String member,
      KeyspaceInspectionDue.Reason due, ClusterPass pass) {
    KeyspaceReport report = inspection.report();
    KeyspaceStatus status = new KeyspaceStatus();
    status.setMeasuredAt(Timestamps.of(pass.now()));
    status.setMember(member);
    status.setRevision(inspection.scan().revision());
    status.setTotalKeys(report.totalKeys());
    status.setPartial(report.partial());
    status.setStoppedBy(report.stoppedBy());
    status.setPrefixes(report.top().stream()
        .map(p -> new KeyspaceStatus.Prefix(p.prefix(), p.keys(), p.bytes())).toList());
    status.setRequest(due.request());
    return status;
  }

  static String summary(KeyspaceStatus status, KeyspaceReport report, KeyspaceInspectionDue.Reason due) {
    String largest = report.top().isEmpty() ? "no keys" : "largest " + report.top().get(0).prefix() + " with "
        + report.top().get(0).keys() + " keys (" + percent(report.top().get(0).keys(), report.totalKeys()) + ")";
    return report.totalKeys() + " keys" + (report.partial() ? " counted before " + report.stoppedBy()
        + " ended the inspection (partial)" : "") + ", " + largest + ", read from " + status.getMember() + " at "
        + "revision " + status.getRevision() + " (" + due.words() + ")";
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "0%" : Math.round(100.0 * part / whole) + "%";
  }
}
