package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** How a new cluster starts: empty (unset), or from a backup. */
public class BootstrapSpec {

  @JsonPropertyDescription("Start every initial member from this snapshot (verified before it is restored).")
  private FromBackup fromBackup;

  /**
   * An EtcdBackup by name, the latest backup of a cluster, or a snapshot by where it is stored (e.g.
   * one taken by another Kubernetes cluster).
   */
  @ValidationRule(value = "[has(self.backupName), has(self.latestOf), has(self.destination)].filter(x, x).size() == 1",
      message = "set exactly one of backupName, latestOf, or destination and key")
  @ValidationRule(value = "has(self.destination) == has(self.key)", message = "destination and key go together")
  @ValidationRule(value = "!has(self.sha256) || has(self.destination)",
      message = "sha256 goes with destination and key; a backup's recorded sha256 is checked already")
  public static class FromBackup {

    @JsonPropertyDescription("Name of a Succeeded EtcdBackup in the same namespace; its recorded sha256 is checked.")
    private String backupName;

    @JsonPropertyDescription("Name of an EtcdCluster (of this namespace, it may be gone) whose latest backup to start "
        + "from: its newest EtcdBackup whose restore drill passed, else its newest Succeeded one whose drill did not "
        + "fail (an Event RestoreSourceChosen says which, and unverified when no drill passed). Chosen once: every "
        + "member restores the same one.")
    @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
    private String latestOf;

    @JsonPropertyDescription("Where the snapshot is stored, when there is no EtcdBackup for it here.")
    private BackupDestination destination;

    @JsonPropertyDescription("With destination: the whole object key in the bucket, or the file's whole path in the "
        + "claim (the destination's prefix or path is not added), e.g. nightly/main/main-20261127-0400.db.")
    @Pattern("^[^/](.*[^/])?$")
    @ValidationRule(value = "!self.matches('(^|/)[.][.]?(/|$)')", message = "key may not have . or .. segments")
    private String key;

    @JsonPropertyDescription("With destination: the snapshot's hex sha256, checked when set; etcd's own integrity mark "
        + "in the snapshot is checked always.")
    @Pattern("^[0-9a-f]{64}$")
    private String sha256;

    public String getBackupName() {
      return backupName;
    }

    public void setBackupName(String backupName) {
      this.backupName = backupName;
    }

    public String getLatestOf() {
      return latestOf;
    }

    public void setLatestOf(String latestOf) {
      this.latestOf = latestOf;
    }

    public BackupDestination getDestination() {
      return destination;
    }

    public void setDestination(BackupDestination destination) {
      this.destination = destination;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getSha256() {
      return sha256;
    }

    public void setSha256(String sha256) {
      this.sha256 = sha256;
    }
  }

  public FromBackup getFromBackup() {
    return fromBackup;
  }

  public void setFromBackup(FromBackup fromBackup) {
    this.fromBackup = fromBackup;
  }
}
