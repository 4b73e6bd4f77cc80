package io.etcdplatform.maintenance;

/** The one maintenance action of a pass, or why there is none. */
public sealed interface MaintenanceStep {

  String reason();

  /** Compacts the key-value history up to {@code revision}. */
  record Compact(long revision, String reason) implements MaintenanceStep {}

  /** Defragments one member; it serves nothing until done. */
  record Defragment(String member, long bytesBefore, String reason) implements MaintenanceStep {}

  /** Disarms the NOSPACE alarm on every member that raised it. */
  record DisarmNoSpace(String reason) implements MaintenanceStep {}

  /** Nothing is due. */
  record Idle(String reason) implements MaintenanceStep {}

  /** Something is due but may not run now (a member unhealthy, outside the window, a CORRUPT alarm). */
  record Waiting(String reason) implements MaintenanceStep {}
}
