package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The newest Succeeded EtcdBackup of a cluster, as the cluster's status names it. */
public class LastBackup {

  @JsonPropertyDescription("The EtcdBackup's name.")
  private String name;

  @JsonPropertyDescription("When its snapshot was complete (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Its restore drill's phase (Pending, Running, Passed or Failed); absent before a drill.")
  private String verification;

  public LastBackup() {}

  public LastBackup(String name, String completionTime, String verification) {
    this.name = name;
    this.completionTime = completionTime;
    this.verification = verification;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getVerification() {
    return verification;
  }

  public void setVerification(String verification) {
    this.verification = verification;
  }
}
