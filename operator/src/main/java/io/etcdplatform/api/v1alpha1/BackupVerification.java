package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A restore drill of one backup: its snapshot restored into a throwaway etcd and compared with what was recorded. */
public class BackupVerification {

  public enum Phase {
    Running, Passed, Failed
  }

  @JsonPropertyDescription("Running, Passed (the snapshot restored, etcd started on it, and its revision, key count "
      + "and HashKV equal the recorded ones), or Failed (message: which check failed).")
  private Phase phase;

  @JsonPropertyDescription("What the drill found, or which check failed and what to do.")
  private String message;

  @JsonPropertyDescription("The request this drill answers: \"scheduled\" (spec.verify) or the value of the "
      + "etcdplatform.io/verify annotation; a new value asks for a new drill.")
  private String request;

  @JsonPropertyDescription("The revision the restored etcd served the checks at (the recorded status.revision).")
  private Long revision;

  @JsonPropertyDescription("Keys the restored etcd held at that revision.")
  private Long keys;

  @JsonPropertyDescription("The restored etcd's HashKV at that revision.")
  private Long hashKv;

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

  public String getRequest() {
    return request;
  }

  public void setRequest(String request) {
    this.request = request;
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
