package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** When and how deep the operator counts a cluster's keys per prefix (docs/insight.md, Keyspace). */
public class KeyspaceInspectionSpec {

  @JsonPropertyDescription("Cron (5 fields, UTC) of scheduled inspections, e.g. \"0 * * * *\" hourly; empty (the "
      + "default) inspects only on demand, by the etcdplatform.io/inspect-keyspace annotation.")
  @Default("")
  private String schedule = "";

  @JsonPropertyDescription("Path segments a prefix keeps outside /registry/ (under /registry/ keys count per "
      + "resource and namespace).")
  @Default("2")
  @Min(1)
  @Max(8)
  private Integer depth = 2;

  @JsonPropertyDescription("Prefixes kept in the status and exported as metrics, the largest first.")
  @Default("10")
  @Min(1)
  @Max(50)
  private Integer topPrefixes = 10;

  @JsonPropertyDescription("Keys read at most per inspection; a larger keyspace gives a partial result.")
  @Default("2000000")
  @Min(1000)
  private Long maxKeys = 2_000_000L;

  @JsonPropertyDescription("Seconds an inspection may take at most; a longer one gives a partial result.")
  @Default("30")
  @Min(1)
  @Max(300)
  private Integer maxSeconds = 30;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public Integer getDepth() {
    return depth;
  }

  public void setDepth(Integer depth) {
    this.depth = depth;
  }

  public Integer getTopPrefixes() {
    return topPrefixes;
  }

  public void setTopPrefixes(Integer topPrefixes) {
    this.topPrefixes = topPrefixes;
  }

  public Long getMaxKeys() {
    return maxKeys;
  }

  public void setMaxKeys(Long maxKeys) {
    this.maxKeys = maxKeys;
  }

  public Integer getMaxSeconds() {
    return maxSeconds;
  }

  public void setMaxSeconds(Integer maxSeconds) {
    this.maxSeconds = maxSeconds;
  }
}
