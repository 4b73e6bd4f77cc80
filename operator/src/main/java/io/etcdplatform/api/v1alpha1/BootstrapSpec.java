package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** How a new cluster starts: empty (unset), or from a backup. */
public class BootstrapSpec {

  @JsonPropertyDescription("Start every initial member from this backup's snapshot (checked against its sha256 first).")
  private FromBackup fromBackup;

  public static class FromBackup {

    @JsonPropertyDescription("Name of a Succeeded EtcdBackup in the same namespace.")
    @Required
    private String backupName;

    public String getBackupName() {
      return backupName;
    }

    public void setBackupName(String backupName) {
      this.backupName = backupName;
    }
  }

  public FromBackup getFromBackup() {
    return fromBackup;
  }

  public void setFromBackup(FromBackup fromBackup) {
    this.fromBackup = fromBackup;
  }
}
