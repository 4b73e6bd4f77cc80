package io.etcdplatform.etcd;

/** An alarm etcd raised on a member, by the member's name. */
public record Alarm(String member, Kind kind) {

  /** The alarms etcd raises: the backend quota is full, or members' data differ. */
  public enum Kind { NOSPACE, CORRUPT }

  /** An alarm as etcd lists it, by member ID. */
  public record Raised(long memberId, Kind kind) {}

  @Override
  public String toString() {
    return kind + " on " + member;
  }
}
