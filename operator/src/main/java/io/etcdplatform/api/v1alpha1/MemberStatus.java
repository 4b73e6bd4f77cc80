package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One etcd member as last observed through the etcd API. */
public class MemberStatus {

  public enum Role {
    Leader, Follower, Learner
  }

  @JsonPropertyDescription("Member name, equal to its pod name.")
  private String name;
  @JsonPropertyDescription("etcd member ID (hex).")
  private String id;
  private Role role;
  private Boolean healthy;
  private String version;
  @JsonPropertyDescription("Backend database size in bytes.")
  private Long dbSize;
  @JsonPropertyDescription("Bytes of the backend database in use; dbSize - dbSizeInUse can be reclaimed by defragmentation.")
  private Long dbSizeInUse;
  private Long revision;
  private Long raftIndex;
  @JsonPropertyDescription("When the operator first saw this member unhealthy (RFC 3339), kept across passes and "
      + "operator restarts: it is replaced once unhealthy for longer than the grace period.")
  private String unhealthySince;
  @JsonPropertyDescription("The etcd container's restart count in this member's pod; the next pass compares with it.")
  private Integer restarts;

  public Integer getRestarts() {
    return restarts;
  }

  public void setRestarts(Integer restarts) {
    this.restarts = restarts;
  }

  public String getUnhealthySince() {
    return unhealthySince;
  }

  public void setUnhealthySince(String unhealthySince) {
    this.unhealthySince = unhealthySince;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public Role getRole() {
    return role;
  }

  public void setRole(Role role) {
    this.role = role;
  }

  public Boolean getHealthy() {
    return healthy;
  }

  public void setHealthy(Boolean healthy) {
    this.healthy = healthy;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Long getDbSize() {
    return dbSize;
  }

  public void setDbSize(Long dbSize) {
    this.dbSize = dbSize;
  }

  public Long getDbSizeInUse() {
    return dbSizeInUse;
  }

  public void setDbSizeInUse(Long dbSizeInUse) {
    this.dbSizeInUse = dbSizeInUse;
  }

  public Long getRevision() {
    return revision;
  }

  public void setRevision(Long revision) {
    this.revision = revision;
  }

  public Long getRaftIndex() {
    return raftIndex;
  }

  public void setRaftIndex(Long raftIndex) {
    this.raftIndex = raftIndex;
  }
}
