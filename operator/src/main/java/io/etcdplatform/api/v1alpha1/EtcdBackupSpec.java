package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

public class EtcdBackupSpec {

  @JsonPropertyDescription("Name of the EtcdCluster, in the same namespace, to snapshot.")
  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.clusterName is immutable: create a new EtcdBackup for another cluster")
  private String clusterName;

  @JsonPropertyDescription("Where the snapshot is stored.")
  @Required
  @ValidationRule(value = "self == oldSelf", message = "spec.destination is immutable: create a new EtcdBackup")
  private BackupDestination destination;

  @JsonPropertyDescription("Verify the snapshot once it is stored: restore it into a throwaway etcd in a Job and "
      + "compare its revision, key count and HashKV with the recorded ones (status.verification). The annotation "
      + "etcdplatform.io/verify asks for a drill on demand.")
  private Boolean verify;

  public Boolean getVerify() {
    return verify;
  }

  public void setVerify(Boolean verify) {
    this.verify = verify;
  }

  public BackupDestination getDestination() {
    return destination;
  }

  public void setDestination(BackupDestination destination) {
    this.destination = destination;
  }

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }
}
