package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One leader change the operator observed, with its cause and the evidence for it. */
public class LeaderChangeStatus {

  @JsonPropertyDescription("When the operator observed the change (RFC 3339).")
  private String time;

  @JsonPropertyDescription("The leader before (member name); absent when it was not known.")
  private String from;

  @JsonPropertyDescription("The leader after (member name).")
  private String to;

  @JsonPropertyDescription("The raft term after the change.")
  private Long term;

  @JsonPropertyDescription("PlannedMove, LeaderRestarted, LeaderUnresponsive, SlowDisk, NetworkLatency or Unknown.")
  private String cause;

  @JsonPropertyDescription("The facts that led to the cause.")
  private List<String> evidence;

  public LeaderChangeStatus() {}

  public LeaderChangeStatus(String time, String from, String to, Long term, String cause, List<String> evidence) {
    this.time = time;
    this.from = from;
    this.to = to;
    this.term = term;
    this.cause = cause;
    this.evidence = evidence;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public Long getTerm() {
    return term;
  }

  public void setTerm(Long term) {
    this.term = term;
  }

  public String getCause() {
    return cause;
  }

  public void setCause(String cause) {
    this.cause = cause;
  }

  public List<String> getEvidence() {
    return evidence;
  }

  public void setEvidence(List<String> evidence) {
    this.evidence = evidence;
  }
}
