package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

public class DisruptionBudgetSpec {

  @JsonPropertyDescription("Create a PodDisruptionBudget with minAvailable = quorum (replicas/2+1). On by default.")
  @Default("true")
  private Boolean enabled = true;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }
}
