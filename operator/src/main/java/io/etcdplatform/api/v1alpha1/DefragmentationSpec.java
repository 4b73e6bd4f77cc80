package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * When a member is defragmented: it has at least 16 MiB to reclaim, and its free share is at least
 * fragmentationPercent, or it could reclaim minReclaimableBytes, or its file uses quotaUsagePercent
 * of the quota.
 */
public class DefragmentationSpec {

  @JsonPropertyDescription("Defragment members that meet the rule. On-demand requests (annotation etcdplatform.io/defragment) work even when false.")
  @Default("true")
  private Boolean enabled = true;

  @JsonPropertyDescription("Free share of the database file (1 - in use / size), in percent, from which a member is defragmented.")
  @Min(1)
  @Max(100)
  @Default("50")
  private Integer fragmentationPercent = 50;

  @JsonPropertyDescription("Reclaimable bytes (size - in use) from which a member is defragmented whatever the share.")
  @Min(0)
  @Default("1073741824")
  private Long minReclaimableBytes = 1024L * 1024 * 1024;

  @JsonPropertyDescription("Share of the quota, in percent, the database file may use before a member is defragmented.")
  @Min(1)
  @Max(100)
  @Default("80")
  private Integer quotaUsagePercent = 80;

  @JsonPropertyDescription("Standard 5-field cron expression (UTC) of when a maintenance window opens, e.g. \"0 3 * * *\". Empty: at any time.")
  @Pattern("^$|^\\S+(\\s+\\S+){4}$")
  private String schedule;

  @JsonPropertyDescription("How long a window lasts, in minutes; a defragmentation starts only inside one.")
  @Min(1)
  @Max(1440)
  @Default("60")
  private Integer windowMinutes = 60;

  @JsonPropertyDescription("Deadline of one member's defragmentation, in seconds.")
  @Min(10)
  @Max(3600)
  @Default("300")
  private Integer memberTimeoutSeconds = 300;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getFragmentationPercent() {
    return fragmentationPercent;
  }

  public void setFragmentationPercent(Integer fragmentationPercent) {
    this.fragmentationPercent = fragmentationPercent;
  }

  public Long getMinReclaimableBytes() {
    return minReclaimableBytes;
  }

  public void setMinReclaimableBytes(Long minReclaimableBytes) {
    this.minReclaimableBytes = minReclaimableBytes;
  }

  public Integer getQuotaUsagePercent() {
    return quotaUsagePercent;
  }

  public void setQuotaUsagePercent(Integer quotaUsagePercent) {
    this.quotaUsagePercent = quotaUsagePercent;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public Integer getWindowMinutes() {
    return windowMinutes;
  }

  public void setWindowMinutes(Integer windowMinutes) {
    this.windowMinutes = windowMinutes;
  }

  public Integer getMemberTimeoutSeconds() {
    return memberTimeoutSeconds;
  }

  public void setMemberTimeoutSeconds(Integer memberTimeoutSeconds) {
    this.memberTimeoutSeconds = memberTimeoutSeconds;
  }
}
