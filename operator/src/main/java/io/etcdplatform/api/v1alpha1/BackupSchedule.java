package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Scheduled backups: one EtcdBackup per run, the oldest deleted with their snapshots beyond the retention. */
@ValidationRule(value = "!(has(self.verifySchedule) && has(self.verify) && self.verify)",
    message = "set verify (a drill of every run) or verifySchedule (drills on a cron of their own), not both")
public class BackupSchedule {

  @JsonPropertyDescription("Standard 5-field cron expression (UTC) of when a backup is taken, e.g. \"0 */6 * * *\".")
  @Required
  @Pattern("^\\S+(\\s+\\S+){4}$")
  private String schedule;

  @JsonPropertyDescription("Where the snapshots are stored.")
  @Required
  private BackupDestination destination;

  @JsonPropertyDescription("Which scheduled backups are kept; the others are deleted with their stored snapshot.")
  @Default("{}")
  private Retention retention = new Retention();

  @JsonPropertyDescription("Verify every scheduled run once it succeeded (EtcdBackup spec.verify): a restore drill in "
      + "a Job, its result in the run's status.verification.")
  @Default("false")
  private Boolean verify = false;

  @JsonPropertyDescription("Standard 5-field cron expression (UTC) of restore drills on a schedule of their own, e.g. "
      + "\"0 4 * * 0\": at each due time the newest Succeeded backup of the cluster gets a drill (as with the "
      + "etcdplatform.io/verify annotation) unless it had one already.")
  @Pattern("^\\S+(\\s+\\S+){4}$")
  private String verifySchedule;

  public String getVerifySchedule() {
    return verifySchedule;
  }

  public void setVerifySchedule(String verifySchedule) {
    this.verifySchedule = verifySchedule;
  }

  public Boolean getVerify() {
    return verify;
  }

  public void setVerify(Boolean verify) {
    this.verify = verify;
  }

  public static class Retention {

    @JsonPropertyDescription("How many Succeeded scheduled backups to keep, newest first; failed and skipped runs "
        + "never count here, so they never push a good backup out.")
    @Min(1)
    @Default("7")
    private Integer maxCount = 7;

    @JsonPropertyDescription("Delete scheduled backups older than this many hours (unset: no age limit). The newest "
        + "Succeeded backup is kept whatever its age.")
    @Min(1)
    private Integer maxAgeHours;

    @JsonPropertyDescription("How many Failed scheduled backups to keep for inspection, newest first.")
    @Min(0)
    @Default("3")
    private Integer maxFailedCount = 3;

    @JsonPropertyDescription("How many Skipped scheduled backups (runs while the cluster could not be backed up) to "
        + "keep, newest first.")
    @Min(0)
    @Default("3")
    private Integer maxSkippedCount = 3;

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

    public Integer getMaxFailedCount() {
      return maxFailedCount;
    }

    public void setMaxFailedCount(Integer maxFailedCount) {
      this.maxFailedCount = maxFailedCount;
    }

    public Integer getMaxSkippedCount() {
      return maxSkippedCount;
    }

    public void setMaxSkippedCount(Integer maxSkippedCount) {
      this.maxSkippedCount = maxSkippedCount;
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
