package io.etcdplatform.maintenance;

import java.util.List;

/** The one maintenance action of a pass, or why there is none. */
public sealed interface MaintenanceStep {

  String reason();

  /** A step the executor carries out. */
  sealed interface Action extends MaintenanceStep {

    /** The meters' operation label. */
    String operation();

    /** The Event's reason once done. */
    String eventReason();
  }

  /** Compacts the key-value history up to {@code revision}. */
  record Compact(long revision, String reason) implements Action {
    public String operation() {
      return "compact";
    }

    public String eventReason() {
      return "Compacted";
    }
  }

  /**
   * Defragments one member; it serves nothing until done. With {@code holdOut} it first leaves the
   * client Service's endpoints (another member serves meanwhile); it comes back through
   * {@link ClientEndpointRule} once healthy and caught up.
   */
  record Defragment(String member, long bytesBefore, String reason, boolean holdOut) implements Action {
    public String operation() {
      return "defragment";
    }

    public String eventReason() {
      return "Defragmented";
    }
  }

  /** Hands leadership from the leader, due to be defragmented, to a caught-up follower. */
  record MoveLeader(String from, String to, long toId, String reason) implements Action {
    public String operation() {
      return "move-leader";
    }

    public String eventReason() {
      return "LeaderMovedForMaintenance";
    }
  }

  /** Disarms the NOSPACE alarm on the members that raised it. */
  record DisarmNoSpace(List<String> members, String reason) implements Action {
    public String operation() {
      return "disarm";
    }

    public String eventReason() {
      return "NoSpaceAlarmDisarmed";
    }
  }

  /** Nothing is due. */
  record Idle(String reason) implements MaintenanceStep {}

  /** Something is due but may not run now (a member unhealthy, outside the window, a CORRUPT alarm). */
  record Waiting(String reason) implements MaintenanceStep {}
}
