package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a person declares. Later API additions (maintenance, backup, bootstrap, tls) become
 * further optional fields here; every field has a default that is safe in production.
 */
@ValidationRule(value = "has(self.tls) == has(oldSelf.tls)",
    message = "spec.tls can be set only when the cluster is created: to move a running cluster to TLS, back it up and restore it into a new EtcdCluster with spec.tls (spec.bootstrap.fromBackup)",
    fieldPath = ".tls", reason = "FieldValueForbidden")
@ValidationRule(value = "!has(oldSelf.auth) || has(self.auth)",
    message = "spec.auth cannot be removed once set: etcd auth stays enabled on the cluster (its users and roles are kept); to run without auth, back the cluster up and restore it into a new EtcdCluster without spec.auth",
    fieldPath = ".auth", reason = "FieldValueForbidden")
public class EtcdClusterSpec {

  /** The etcd release the operator deploys when spec.version is left out. */
  public static final String DEFAULT_VERSION = "3.6.16";

  @JsonPropertyDescription("Number of etcd members (1-9). Use an odd number: 3 tolerates one failure, 5 tolerates two.")
  @Min(1)
  @Max(9)
  @Default("3")
  private Integer replicas = 3;

  @JsonPropertyDescription("etcd release as MAJOR.MINOR.PATCH without a leading v, e.g. 3.6.16. Supported: "
      + SupportedVersions.RANGE + ".")
  @ValidationRule(value = SupportedVersions.RULE, message = SupportedVersions.REFUSAL)
  @Size(max = 16)
  @Default(DEFAULT_VERSION)
  private String version = DEFAULT_VERSION;

  @JsonPropertyDescription("Container image override. When unset the official etcd image of spec.version is used.")
  private String image;

  @JsonPropertyDescription("Persistent storage of each member's data directory.")
  @Default("{}")
  private StorageSpec storage = new StorageSpec();

  @JsonPropertyDescription("Compute resources of the etcd container.")
  private ContainerResources resources;

  @JsonPropertyDescription("Scheduling and metadata added to every member pod.")
  private PodTemplate podTemplate;

  @JsonPropertyDescription("etcd server settings.")
  @Default("{}")
  private EtcdSettings etcd = new EtcdSettings();

  @JsonPropertyDescription("PodDisruptionBudget that keeps voluntary evictions from breaking quorum.")
  @Default("{}")
  private DisruptionBudgetSpec podDisruptionBudget = new DisruptionBudgetSpec();

  @JsonPropertyDescription("Compaction and defragmentation.")
  @Default("{}")
  private MaintenanceSpec maintenance = new MaintenanceSpec();

  @JsonPropertyDescription("How the cluster starts: from a backup, or empty when unset. Immutable.")
  @ValidationRule(value = "self == oldSelf", message = "spec.bootstrap is immutable: it only says how the cluster started; restore into a new EtcdCluster instead")
  private BootstrapSpec bootstrap;

  @JsonPropertyDescription("Scheduled backups. None when unset.")
  private BackupSchedule backup;

  @JsonPropertyDescription("Mutual TLS on the client and peer planes; plaintext when unset. Set when the cluster is created.")
  private TlsSpec tls;

  @JsonPropertyDescription("A NetworkPolicy that admits peers only from the members and clients only from the "
      + "listed peers and the operator; unset: the operator's default (see docs/network-policy.md).")
  private NetworkPolicySpec networkPolicy;

  @JsonPropertyDescription("etcd authentication: root, the operator's own user, and the declared roles and users; "
      + "none when unset. Once set it cannot be removed. See docs/auth.md.")
  private AuthSpec auth;

  @JsonPropertyDescription("Key counts per prefix, read from a follower on a schedule or on demand (the "
      + "etcdplatform.io/inspect-keyspace annotation); see docs/insight.md.")
  @Default("{}")
  private KeyspaceInspectionSpec keyspaceInspection = new KeyspaceInspectionSpec();

  @JsonPropertyDescription("When true the operator takes no action on this cluster (owned objects are left as they are).")
  @Default("false")
  private Boolean paused = false;

  public TlsSpec getTls() {
    return tls;
  }

  public void setTls(TlsSpec tls) {
    this.tls = tls;
  }

  public NetworkPolicySpec getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySpec networkPolicy) {
    this.networkPolicy = networkPolicy;
  }

  public KeyspaceInspectionSpec getKeyspaceInspection() {
    return keyspaceInspection;
  }

  public void setKeyspaceInspection(KeyspaceInspectionSpec keyspaceInspection) {
    this.keyspaceInspection = keyspaceInspection;
  }

  public AuthSpec getAuth() {
    return auth;
  }

  public void setAuth(AuthSpec auth) {
    this.auth = auth;
  }

  public boolean authEnabled() {
    return auth != null;
  }

  public boolean tlsEnabled() {
    return tls != null;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public ContainerResources getResources() {
    return resources;
  }

  public void setResources(ContainerResources resources) {
    this.resources = resources;
  }

  public PodTemplate getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(PodTemplate podTemplate) {
    this.podTemplate = podTemplate;
  }

  public EtcdSettings getEtcd() {
    return etcd;
  }

  public void setEtcd(EtcdSettings etcd) {
    this.etcd = etcd;
  }

  public DisruptionBudgetSpec getPodDisruptionBudget() {
    return podDisruptionBudget;
  }

  public void setPodDisruptionBudget(DisruptionBudgetSpec podDisruptionBudget) {
    this.podDisruptionBudget = podDisruptionBudget;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public MaintenanceSpec getMaintenance() {
    return maintenance;
  }

  public void setMaintenance(MaintenanceSpec maintenance) {
    this.maintenance = maintenance;
  }

  public BackupSchedule getBackup() {
    return backup;
  }

  public void setBackup(BackupSchedule backup) {
    this.backup = backup;
  }

  public BootstrapSpec getBootstrap() {
    return bootstrap;
  }

  public void setBootstrap(BootstrapSpec bootstrap) {
    this.bootstrap = bootstrap;
  }
}
