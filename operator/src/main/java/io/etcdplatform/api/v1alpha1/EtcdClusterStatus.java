package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

public class EtcdClusterStatus {

  @JsonPropertyDescription("Pending, Running, Progressing, Degraded, Paused or Invalid.")
  private Phase phase;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Available, Progressing and Degraded, with the reason and a message a person can act on.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Ready members out of desired, e.g. 3/3.")
  private String ready;

  @JsonPropertyDescription("Number of members whose pod is ready.")
  private Integer readyMembers;

  @JsonPropertyDescription("etcd cluster ID (hex).")
  private String clusterId;

  @JsonPropertyDescription("Name of the member that is the raft leader.")
  private String leader;

  @JsonPropertyDescription("The etcd version every member runs.")
  private String version;

  @JsonPropertyDescription("One entry per etcd member.")
  private List<MemberStatus> members;

  @JsonPropertyDescription("Compaction, defragmentation and alarms.")
  private MaintenanceStatus maintenance;

  @JsonPropertyDescription("Highest minus lowest revision among the members that answered: 0 when they agree, "
      + "large when a member falls behind.")
  private Long revisionSpread;

  @JsonPropertyDescription("A TLS cluster's certificate authorities per plane and their rotation.")
  private TlsStatus tls;

  @JsonPropertyDescription("The newest Succeeded EtcdBackup of this cluster, when it has one.")
  private LastBackup lastBackup;

  @JsonPropertyDescription("The last keyspace inspection (spec.keyspaceInspection).")
  private KeyspaceStatus keyspace;

  @JsonPropertyDescription("The last leader changes the operator observed, newest first, at most 5.")
  private List<LeaderChangeStatus> leaderChanges;

  @JsonPropertyDescription("The raft term at the last pass that saw a leader; the next pass compares with it.")
  private Long leaderTerm;

  @JsonPropertyDescription("The leader's member ID (hex) at the last pass that saw a leader.")
  private String leaderId;

  @JsonPropertyDescription("Present when the measured peer round trip says spec.etcd's heartbeat and election "
      + "timeout are too tight: the recommended setting.")
  private String raftTimingAdvice;

  @JsonPropertyDescription("The client URLs an application connects to (https on a TLS cluster).")
  private List<String> endpoints;

  @JsonPropertyDescription("etcd authentication as the operator set it up (spec.auth).")
  private AuthStatus auth;

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public AuthStatus getAuth() {
    return auth;
  }

  public void setAuth(AuthStatus auth) {
    this.auth = auth;
  }

  public enum Phase {
    Pending, Running, Progressing, Degraded, Paused, Invalid
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public Integer getReadyMembers() {
    return readyMembers;
  }

  public void setReadyMembers(Integer readyMembers) {
    this.readyMembers = readyMembers;
  }

  public String getClusterId() {
    return clusterId;
  }

  public void setClusterId(String clusterId) {
    this.clusterId = clusterId;
  }

  public String getLeader() {
    return leader;
  }

  public void setLeader(String leader) {
    this.leader = leader;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public List<MemberStatus> getMembers() {
    return members;
  }

  public void setMembers(List<MemberStatus> members) {
    this.members = members;
  }

  public MaintenanceStatus getMaintenance() {
    return maintenance;
  }

  public void setMaintenance(MaintenanceStatus maintenance) {
    this.maintenance = maintenance;
  }

  public Long getRevisionSpread() {
    return revisionSpread;
  }

  public void setRevisionSpread(Long revisionSpread) {
    this.revisionSpread = revisionSpread;
  }

  public TlsStatus getTls() {
    return tls;
  }

  public void setTls(TlsStatus tls) {
    this.tls = tls;
  }

  public LastBackup getLastBackup() {
    return lastBackup;
  }

  public void setLastBackup(LastBackup lastBackup) {
    this.lastBackup = lastBackup;
  }

  public KeyspaceStatus getKeyspace() {
    return keyspace;
  }

  public void setKeyspace(KeyspaceStatus keyspace) {
    this.keyspace = keyspace;
  }

  public List<LeaderChangeStatus> getLeaderChanges() {
    return leaderChanges;
  }

  public void setLeaderChanges(List<LeaderChangeStatus> leaderChanges) {
    this.leaderChanges = leaderChanges;
  }

  public Long getLeaderTerm() {
    return leaderTerm;
  }

  public void setLeaderTerm(Long leaderTerm) {
    this.leaderTerm = leaderTerm;
  }

  public String getLeaderId() {
    return leaderId;
  }

  public void setLeaderId(String leaderId) {
    this.leaderId = leaderId;
  }

  public String getRaftTimingAdvice() {
    return raftTimingAdvice;
  }

  public void setRaftTimingAdvice(String raftTimingAdvice) {
    this.raftTimingAdvice = raftTimingAdvice;
  }
}
