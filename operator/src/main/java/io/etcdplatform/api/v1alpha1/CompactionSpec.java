package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class CompactionSpec {

  @JsonPropertyDescription("Compact the key-value history at (current revision - retention) every intervalMinutes.")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("History to keep, in minutes (a watcher further behind must re-list). Used unless retainRevisions is set.")
  @Min(1)
  @Max(10080)
  @Default("60")
  private Integer retainMinutes = 60;

  @JsonPropertyDescription("History to keep, in revisions; when set (above 0) it replaces retainMinutes.")
  @Min(0)
  @Default("0")
  private Long retainRevisions = 0L;

  @JsonPropertyDescription("Minutes between two compactions.")
  @Min(1)
  @Max(1440)
  @Default("5")
  private Integer intervalMinutes = 5;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getRetainMinutes() {
    return retainMinutes;
  }

  public void setRetainMinutes(Integer retainMinutes) {
    this.retainMinutes = retainMinutes;
  }

  public Long getRetainRevisions() {
    return retainRevisions;
  }

  public void setRetainRevisions(Long retainRevisions) {
    this.retainRevisions = retainRevisions;
  }

  public Integer getIntervalMinutes() {
    return intervalMinutes;
  }

  public void setIntervalMinutes(Integer intervalMinutes) {
    this.intervalMinutes = intervalMinutes;
  }
}
