package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Scheduled backups: one EtcdBackup per run, the oldest deleted with their snapshots beyond the retention. */
public class BackupSchedule {

  @JsonPropertyDescription("Standard 5-field cron expression (UTC) of when a backup is taken, e.g. \"0 */6 * * *\".")
  @Required
  @Pattern("^\\S+(\\s+\\S+){4}$")
  private String schedule;

  @JsonPropertyDescription("Where the snapshots are stored.")
  @Required
  private BackupDestination destination;

  @JsonPropertyDescription("Which scheduled backups are kept; older ones are deleted with their stored snapshot.")
  @Default("{}")
  private Retention retention = new Retention();

  public static class Retention {

    @JsonPropertyDescription("How many finished scheduled backups to keep, newest first.")
    @Min(1)
    @Default("7")
    private Integer maxCount = 7;

    @JsonPropertyDescription("Delete scheduled backups older than this many hours (unset: no age limit).")
    @Min(1)
    private Integer maxAgeHours;

    public Integer getMaxCount() {
      return maxCount;
    }

    public void setMaxCount(Integer maxCount) {
      this.maxCount = maxCount;
    }

    public Integer getMaxAgeHours() {
      return maxAgeHours;
    }

    public void setMaxAgeHours(Integer maxAgeHours) {
      this.maxAgeHours = maxAgeHours;
    }
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public BackupDestination getDestination() {
    return destination;
  }

  public void setDestination(BackupDestination destination) {
    this.destination = destination;
  }

  public Retention getRetention() {
    return retention;
  }

  public void setRetention(Retention retention) {
    this.retention = retention;
  }
}
