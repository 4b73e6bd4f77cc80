package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

public class EtcdBackupStatus {

  public enum Phase {
    Pending, Running, Succeeded, Failed, Skipped
  }

  @JsonPropertyDescription("Pending, Running, Succeeded, Failed, or Skipped (a scheduled run while the cluster could "
      + "not be backed up, e.g. with its quorum lost).")
  private Phase phase;

  @JsonPropertyDescription("Why it failed or was skipped, and what to do; or what it is doing.")
  private String message;

  @JsonPropertyDescription("The store revision of the member when the snapshot began; the snapshot holds at least it.")
  private Long revision;

  @JsonPropertyDescription("How many keys the source member held at status.revision, recorded when the snapshot was "
      + "taken; a verification finds the same number in the restored snapshot.")
  private Long keys;

  @JsonPropertyDescription("The source member's HashKV of its keys up to status.revision, recorded when the snapshot "
      + "was taken; a verification finds the same hash in the restored snapshot.")
  private Long hashKv;

  @JsonPropertyDescription("The last restore drill of this snapshot (spec.verify, or the etcdplatform.io/verify "
      + "annotation): restored into a throwaway etcd and compared with what was recorded.")
  private BackupVerification verification;

  @JsonPropertyDescription("Size of the stored snapshot in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("Hex sha256 of the stored snapshot, verified before any restore.")
  private String sha256;

  @JsonPropertyDescription("Where the snapshot is, e.g. s3://bucket/prefix/cluster/name.db.")
  private String location;

  @JsonPropertyDescription("The member the snapshot was taken from.")
  private String member;

  @JsonPropertyDescription("Verified: True when the last restore drill passed, False when it failed (its reason and "
      + "message say which check).")
  private List<Condition> conditions;

  private String startTime;

  private String completionTime;

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public Long getKeys() {
    return keys;
  }

  public void setKeys(Long keys) {
    this.keys = keys;
  }

  public Long getHashKv() {
    return hashKv;
  }

  public void setHashKv(Long hashKv) {
    this.hashKv = hashKv;
  }

  public BackupVerification getVerification() {
    return verification;
  }

  public void setVerification(BackupVerification verification) {
    this.verification = verification;
  }

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getMember() {
    return member;
  }

  public void setMember(String member) {
    this.member = member;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }
}
