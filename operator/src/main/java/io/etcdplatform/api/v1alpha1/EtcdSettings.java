package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** etcd server settings, written into each member's configuration file. */
@ValidationRule(
    value = "self.electionTimeoutMillis >= 5 * self.heartbeatIntervalMillis",
    message = "spec.etcd.electionTimeoutMillis must be at least 5 x spec.etcd.heartbeatIntervalMillis: raise the election timeout or lower the heartbeat interval",
    fieldPath = ".electionTimeoutMillis",
    reason = "FieldValueInvalid")
public class EtcdSettings {

  /** Flags the operator sets itself (some from spec fields); extraFlags may not override them. */
  public static final String RESERVED_FLAGS = "name, data-dir, wal-dir, initial-cluster, initial-cluster-state, "
      + "initial-cluster-token, initial-advertise-peer-urls, advertise-client-urls, "
      + "listen-peer-urls, listen-client-urls, listen-metrics-urls, config-file, "
      + "quota-backend-bytes, heartbeat-interval, election-timeout, snapshot-count, "
      + "auto-compaction-mode, auto-compaction-retention, cert-file, key-file, trusted-ca-file, client-cert-auth, "
      + "peer-cert-file, peer-key-file, peer-trusted-ca-file, peer-client-cert-auth, tls-min-version, cipher-suites";
  static final String RESERVED_FLAGS_CEL = "['name', 'data-dir', 'wal-dir', 'initial-cluster', 'initial-cluster-state', "
      + "'initial-cluster-token', 'initial-advertise-peer-urls', 'advertise-client-urls', "
      + "'listen-peer-urls', 'listen-client-urls', 'listen-metrics-urls', 'config-file', "
      + "'quota-backend-bytes', 'heartbeat-interval', 'election-timeout', "
      + "'snapshot-count', 'auto-compaction-mode', 'auto-compaction-retention', 'cert-file', 'key-file', "
      + "'trusted-ca-file', 'client-cert-auth', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file', "
      + "'peer-client-cert-auth', 'tls-min-version', 'cipher-suites']";

  /**
   * Flags refused whatever their value, because they break membership safety or durability. A
   * deny-list, not an allow-list: etcd has many harmless tuning flags people legitimately need.
   */
  public static final String UNSAFE_FLAGS = "force-new-cluster*, unsafe-*, discovery*, strict-reconfig-check";
  static final String UNSAFE_FLAGS_CEL = "self.all(k, !(k.startsWith('force-new-cluster') || k.startsWith('unsafe-')"
      + " || k.startsWith('discovery') || k == 'strict-reconfig-check'))";
  static final String UNSAFE_FLAGS_REFUSAL = "spec.etcd.extraFlags may not set " + UNSAFE_FLAGS
      + ": force-new-cluster rewrites the membership to one member (the next rolling restart splits the cluster), "
      + "unsafe-no-fsync loses acknowledged writes on a crash, discovery bootstraps a membership the operator "
      + "manages itself, and strict-reconfig-check=false lets a membership change lose the quorum; remove the key";

  @JsonPropertyDescription("Backend quota in bytes (etcd --quota-backend-bytes). Above it etcd raises a NOSPACE alarm and refuses writes. Default 2 GiB; at most 8 GiB is recommended.")
  @Min(0)
  @Max(8L * 1024 * 1024 * 1024)
  @Default("2147483648")
  private Long quotaBackendBytes = 2L * 1024 * 1024 * 1024;

  @JsonPropertyDescription("Leader heartbeat interval in milliseconds (etcd --heartbeat-interval); about the round-trip time between members.")
  @Min(10)
  @Max(5000)
  @Default("100")
  private Integer heartbeatIntervalMillis = 100;

  @JsonPropertyDescription("Election timeout in milliseconds (etcd --election-timeout); at least 5 x the heartbeat interval.")
  @Min(50)
  @Max(50000)
  @Default("1000")
  private Integer electionTimeoutMillis = 1000;

  @JsonPropertyDescription("Committed transactions between snapshots to disk (etcd --snapshot-count); etcd's default when unset.")
  @Min(1)
  private Long snapshotCount;

  @JsonPropertyDescription("etcd's own history compaction (--auto-compaction-mode/-retention). Off when unset.")
  private AutoCompaction autoCompaction;

  @JsonPropertyDescription("Further etcd flags, by name without leading dashes, each passed as --name=value, e.g. "
      + "{\"log-level\": \"warn\"}. Flags the operator manages and " + UNSAFE_FLAGS + " are refused.")
  @ValidationRule(value = "self.all(k, !(k in " + RESERVED_FLAGS_CEL + "))",
      message = "spec.etcd.extraFlags may not set a flag the operator manages (" + RESERVED_FLAGS
          + "): remove the key, and use spec.etcd.quotaBackendBytes, heartbeatIntervalMillis, electionTimeoutMillis, "
          + "snapshotCount or autoCompaction for those settings")
  @ValidationRule(value = UNSAFE_FLAGS_CEL, message = UNSAFE_FLAGS_REFUSAL)
  @ValidationRule(value = "self.all(k, k.matches('^[a-z0-9][a-z0-9.-]*$'))",
      message = "spec.etcd.extraFlags keys are etcd flag names without leading dashes, e.g. log-level")
  @Size(max = 64)
  private Map<String, String> extraFlags;

  public Long getQuotaBackendBytes() {
    return quotaBackendBytes;
  }

  public void setQuotaBackendBytes(Long quotaBackendBytes) {
    this.quotaBackendBytes = quotaBackendBytes;
  }

  public Integer getHeartbeatIntervalMillis() {
    return heartbeatIntervalMillis;
  }

  public void setHeartbeatIntervalMillis(Integer heartbeatIntervalMillis) {
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
  }

  public Integer getElectionTimeoutMillis() {
    return electionTimeoutMillis;
  }

  public void setElectionTimeoutMillis(Integer electionTimeoutMillis) {
    this.electionTimeoutMillis = electionTimeoutMillis;
  }

  public Long getSnapshotCount() {
    return snapshotCount;
  }

  public void setSnapshotCount(Long snapshotCount) {
    this.snapshotCount = snapshotCount;
  }

  public AutoCompaction getAutoCompaction() {
    return autoCompaction;
  }

  public void setAutoCompaction(AutoCompaction autoCompaction) {
    this.autoCompaction = autoCompaction;
  }

  public Map<String, String> getExtraFlags() {
    return extraFlags;
  }

  public void setExtraFlags(Map<String, String> extraFlags) {
    this.extraFlags = extraFlags;
  }
}
