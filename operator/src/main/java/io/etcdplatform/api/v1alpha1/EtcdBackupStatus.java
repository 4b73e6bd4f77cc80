package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class EtcdBackupStatus {

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  private String phase;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }
}
