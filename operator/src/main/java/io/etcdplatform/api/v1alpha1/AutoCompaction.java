package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class AutoCompaction {

  public enum Mode {
    periodic, revision
  }

  @JsonPropertyDescription("periodic: keep a time window of history; revision: keep a number of revisions.")
  @Required
  private Mode mode;

  @JsonPropertyDescription("For periodic, a duration such as 1h or 30m; for revision, a number of revisions such as 10000.")
  @Required
  @Pattern("^([0-9]+|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$")
  private String retention;

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public String getRetention() {
    return retention;
  }

  public void setRetention(String retention) {
    this.retention = retention;
  }
}
