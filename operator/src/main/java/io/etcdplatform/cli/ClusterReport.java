package io.etcdplatform.cli;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.api.v1alpha1.EtcdClusterStatus;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.api.v1alpha1.LastBackup;
import io.etcdplatform.api.v1alpha1.LeaderChangeStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What {@code kubectl etcd status} and {@code diagnose} print, from the clusters' status alone. Pure. */
final class ClusterReport {

  private ClusterReport() {}

  /** One line per cluster, as {@code kubectl etcd status} without a name prints them. */
  static String clusters(Collection<EtcdCluster> clusters) {
    Table table = new Table("NAME", "PHASE", "READY", "VERSION", "LEADER", "REVISION SPREAD", "LAST BACKUP");
    clusters.stream().sorted(Comparator.comparing(c -> c.getMetadata().getName())).forEach(c -> {
      EtcdClusterStatus s = statusOf(c);
      table.row(c.getMetadata().getName(), s.getPhase(), s.getReady(), s.getVersion(), s.getLeader(),
          s.getRevisionSpread(), Optional.ofNullable(s.getLastBackup()).map(LastBackup::getCompletionTime).orElse(null));
    });
    return table.render();
  }

  /** The cluster, its members, and its alarms, last backup and last defragmentation. */
  static String status(EtcdCluster cluster) {
    EtcdClusterStatus s = statusOf(cluster);
    StringBuilder out = new StringBuilder(clusters(List.of(cluster))).append('\n');
    Table members = new Table("MEMBER", "ROLE", "HEALTHY", "VERSION", "DB SIZE", "IN USE", "REVISION", "RAFT INDEX");
    Optional.ofNullable(s.getMembers()).orElse(List.of()).forEach(m -> members.row(m.getName(), m.getRole(),
        m.getHealthy(), m.getVersion(), bytes(m.getDbSize()), bytes(m.getDbSizeInUse()), m.getRevision(),
        m.getRaftIndex()));
    out.append(members.render()).append('\n');
    MaintenanceStatus maintenance = Optional.ofNullable(s.getMaintenance()).orElseGet(MaintenanceStatus::new);
    out.append(line("Alarms", alarms(maintenance)));
    out.append(line("Last backup", Optional.ofNullable(s.getLastBackup()).map(b -> b.getName() + " at "
        + b.getCompletionTime() + ", restore drill " + Optional.ofNullable(b.getVerification()).orElse("not run"))
        .orElse("none")));
    out.append(line("Last defragmentation", lastDefragmentation(maintenance)));
    out.append(line("Leader changes", Optional.ofNullable(s.getLeaderChanges()).filter(c -> !c.isEmpty())
        .map(c -> c.size() + " recorded, the last " + c.get(0).getTime() + " (" + c.get(0).getCause() + ")")
        .orElse("none seen")));
    return out.toString();
  }

  /** The conditions with their reasons and messages, the alarms and the maintenance's message. */
  static String diagnose(EtcdCluster cluster) {
    EtcdClusterStatus s = statusOf(cluster);
    StringBuilder out = new StringBuilder();
    Table conditions = new Table("CONDITION", "STATUS", "REASON", "MESSAGE");
    Optional.ofNullable(s.getConditions()).orElse(List.of()).stream()
        .sorted(Comparator.comparing(Condition::getType))
        .forEach(c -> conditions.row(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    out.append(conditions.render()).append('\n');
    MaintenanceStatus maintenance = Optional.ofNullable(s.getMaintenance()).orElseGet(MaintenanceStatus::new);
    out.append(line("Alarms", alarms(maintenance)));
    out.append(line("Consistency", Optional.ofNullable(condition(s, "Consistent"))
        .map(c -> ("True".equals(c.getStatus()) ? "hashes agree: " : "HASHES DIFFER: ") + c.getMessage())
        .orElse("not compared yet")));
    out.append(line("Revision spread", Optional.ofNullable(s.getRevisionSpread()).map(String::valueOf)
        .orElse("unknown")));
    out.append(line("Quota used", Optional.ofNullable(maintenance.getQuotaUsagePercent()).map(p -> p + "%")
        .orElse("unknown")));
    Optional.ofNullable(maintenance.getMessage()).ifPresent(m -> out.append(line("Maintenance", m)));
    out.append(leaderChanges(s));
    out.append(keyspace(s.getKeyspace()));
    return out.toString();
  }

  /** Each recorded leader change with its cause and evidence, and the timing advice when there is one. */
  private static String leaderChanges(EtcdClusterStatus status) {
    List<LeaderChangeStatus> changes = Optional.ofNullable(status.getLeaderChanges()).orElse(List.of());
    StringBuilder out = new StringBuilder(line("Leader changes", changes.isEmpty() ? "none seen" : ""));
    if (!changes.isEmpty()) {
      Table table = new Table("  TIME", "FROM", "TO", "TERM", "CAUSE", "EVIDENCE");
      changes.forEach(c -> table.row("  " + c.getTime(), c.getFrom(), c.getTo(), c.getTerm(), c.getCause(),
          String.join("; ", Optional.ofNullable(c.getEvidence()).orElse(List.of()))));
      out.append(table.render());
    }
    Optional.ofNullable(status.getRaftTimingAdvice()).ifPresent(a -> out.append(line("Raft timing", a)));
    return out.toString();
  }

  /** The last keyspace inspection's largest prefixes, each with its share of the keys. */
  private static String keyspace(KeyspaceStatus keyspace) {
    if (keyspace == null) {
      return line("Keyspace", "not inspected (spec.keyspaceInspection.schedule, or annotate "
          + "etcdplatform.io/inspect-keyspace)");
    }
    StringBuilder out = new StringBuilder(line("Keyspace", keyspace.getTotalKeys() + " keys at "
        + keyspace.getMeasuredAt() + " from " + keyspace.getMember()
        + (Boolean.TRUE.equals(keyspace.getPartial()) ? ", PARTIAL (" + keyspace.getStoppedBy() + ")" : "")));
    Table prefixes = new Table("  PREFIX", "KEYS", "SHARE");
    Optional.ofNullable(keyspace.getPrefixes()).orElse(List.of()).forEach(p -> prefixes.row("  " + p.getPrefix(),
        p.getKeys(), keyspace.getTotalKeys() == null || keyspace.getTotalKeys() == 0 ? "-"
            : Math.round(100.0 * p.getKeys() / keyspace.getTotalKeys()) + "%"));
    return out.append(prefixes.render()).toString();
  }

  private static String alarms(MaintenanceStatus maintenance) {
    return maintenance.getAlarms() == null || maintenance.getAlarms().isEmpty() ? "none"
        : String.join(", ", maintenance.getAlarms());
  }

  private static String lastDefragmentation(MaintenanceStatus maintenance) {
    return Optional.ofNullable(maintenance.getDefragmentations()).orElse(List.of()).stream()
        .max(Comparator.comparing(MaintenanceStatus.Defragmentation::getTime))
        .map(d -> d.getMember() + " at " + d.getTime() + ", " + bytes(d.getBytesBefore()) + " -> "
            + bytes(d.getBytesAfter()))
        .orElse("none");
  }

  private static Condition condition(EtcdClusterStatus status, String type) {
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static String line(String label, String value) {
    return String.format("%-22s%s%n", label + ":", value);
  }

  /** Bytes as etcd operators read them: 12.3 MiB. */
  static String bytes(Long bytes) {
    if (bytes == null) {
      return null;
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, units[unit]);
  }

  private static EtcdClusterStatus statusOf(EtcdCluster cluster) {
    return cluster.getStatus() == null ? new EtcdClusterStatus() : cluster.getStatus();
  }
}
