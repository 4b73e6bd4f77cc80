package io.etcdplatform.maintenance;

import io.etcdplatform.schedule.Cron;
import java.time.Duration;
import java.time.Instant;

/** When maintenance windows open (a cron expression, UTC), and how long each lasts. */
public final class MaintenanceWindow {

  private final Cron openings;
  private final Duration length;

  private MaintenanceWindow(Cron openings, Duration length) {
    this.openings = openings;
    this.length = length;
  }

  /** @throws IllegalArgumentException naming the expression and what is wrong with it */
  public static MaintenanceWindow of(String cron, Duration length) {
    return new MaintenanceWindow(Cron.parse(cron, "spec.maintenance.defragmentation.schedule"), length);
  }

  /** Inside a window: the last opening at or before {@code now} is less than the window's length ago. */
  public boolean isOpen(Instant now) {
    return openings.lastAtOrBefore(now).map(opened -> opened.plus(length).isAfter(now)).orElse(false);
  }
}
