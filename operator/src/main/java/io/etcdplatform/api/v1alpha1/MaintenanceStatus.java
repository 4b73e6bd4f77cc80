package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What maintenance did last, and what it needs to remember between passes. */
public class MaintenanceStatus {

  @JsonPropertyDescription("The last compaction: the revision compacted to, and when.")
  private Compaction lastCompaction;

  @JsonPropertyDescription("Revisions sampled at each compaction interval; a time-based retention compacts to the newest one older than the retention.")
  private List<Checkpoint> revisionCheckpoints;

  @JsonPropertyDescription("The last defragmentation of each member.")
  private List<Defragmentation> defragmentations;

  @JsonPropertyDescription("The round of defragmentation under way (all members, or those that meet the rule) and why, with when it began.")
  private Round round;

  @JsonPropertyDescription("The last value of the etcdplatform.io/defragment annotation that was carried out.")
  private String defragmentationRequest;

  @JsonPropertyDescription("Active etcd alarms, e.g. NOSPACE on example-1.")
  private List<String> alarms;

  @JsonPropertyDescription("The highest share of the quota a member's database file uses, in percent.")
  private Integer quotaUsagePercent;

  @JsonPropertyDescription("What maintenance did or waits for in the last pass.")
  private String message;

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public static class Compaction {
    private Long revision;
    private String time;

    public Compaction() {}

    public Compaction(Long revision, String time) {
      this.revision = revision;
      this.time = time;
    }

    public Long getRevision() {
      return revision;
    }

    public void setRevision(Long revision) {
      this.revision = revision;
    }

    public String getTime() {
      return time;
    }

    public void setTime(String time) {
      this.time = time;
    }
  }

  public static class Checkpoint {
    private String time;
    private Long revision;

    public Checkpoint() {}

    public Checkpoint(String time, Long revision) {
      this.time = time;
      this.revision = revision;
    }

    public String getTime() {
      return time;
    }

    public void setTime(String time) {
      this.time = time;
    }

    public Long getRevision() {
      return revision;
    }

    public void setRevision(Long revision) {
      this.revision = revision;
    }
  }

  public static class Defragmentation {
    private String member;
    private String time;
    private Long bytesBefore;
    private Long bytesAfter;
    private Long durationMillis;

    public Defragmentation() {}

    public Defragmentation(String member, String time, Long bytesBefore, Long bytesAfter, Long durationMillis) {
      this.member = member;
      this.time = time;
      this.bytesBefore = bytesBefore;
      this.bytesAfter = bytesAfter;
      this.durationMillis = durationMillis;
    }

    public String getMember() {
      return member;
    }

    public void setMember(String member) {
      this.member = member;
    }

    public String getTime() {
      return time;
    }

    public void setTime(String time) {
      this.time = time;
    }

    public Long getBytesBefore() {
      return bytesBefore;
    }

    public void setBytesBefore(Long bytesBefore) {
      this.bytesBefore = bytesBefore;
    }

    public Long getBytesAfter() {
      return bytesAfter;
    }

    public void setBytesAfter(Long bytesAfter) {
      this.bytesAfter = bytesAfter;
    }

    public Long getDurationMillis() {
      return durationMillis;
    }

    public void setDurationMillis(Long durationMillis) {
      this.durationMillis = durationMillis;
    }
  }

  /** A round defragments every member once (on request, or to recover from NOSPACE). */
  public static class Round {
    private String reason;
    private String startedAt;

    public Round() {}

    public Round(String reason, String startedAt) {
      this.reason = reason;
      this.startedAt = startedAt;
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }

    public String getStartedAt() {
      return startedAt;
    }

    public void setStartedAt(String startedAt) {
      this.startedAt = startedAt;
    }
  }

  public Compaction getLastCompaction() {
    return lastCompaction;
  }

  public void setLastCompaction(Compaction lastCompaction) {
    this.lastCompaction = lastCompaction;
  }

  public List<Checkpoint> getRevisionCheckpoints() {
    return revisionCheckpoints;
  }

  public void setRevisionCheckpoints(List<Checkpoint> revisionCheckpoints) {
    this.revisionCheckpoints = revisionCheckpoints;
  }

  public List<Defragmentation> getDefragmentations() {
    return defragmentations;
  }

  public void setDefragmentations(List<Defragmentation> defragmentations) {
    this.defragmentations = defragmentations;
  }

  public Round getRound() {
    return round;
  }

  public void setRound(Round round) {
    this.round = round;
  }

  public String getDefragmentationRequest() {
    return defragmentationRequest;
  }

  public void setDefragmentationRequest(String defragmentationRequest) {
    this.defragmentationRequest = defragmentationRequest;
  }

  public List<String> getAlarms() {
    return alarms;
  }

  public void setAlarms(List<String> alarms) {
    this.alarms = alarms;
  }

  public Integer getQuotaUsagePercent() {
    return quotaUsagePercent;
  }

  public void setQuotaUsagePercent(Integer quotaUsagePercent) {
    this.quotaUsagePercent = quotaUsagePercent;
  }
}
