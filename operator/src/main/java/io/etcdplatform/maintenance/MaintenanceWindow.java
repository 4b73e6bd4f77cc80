package io.etcdplatform.maintenance;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** A cron expression (5 fields, UTC) of when windows open, and how long each lasts. Parsed by cron-utils. */
public final class MaintenanceWindow {

  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime openings;
  private final Duration length;

  private MaintenanceWindow(ExecutionTime openings, Duration length) {
    this.openings = openings;
    this.length = length;
  }

  /** @throws IllegalArgumentException naming the expression and what is wrong with it */
  public static MaintenanceWindow of(String cron, Duration length) {
    try {
      return new MaintenanceWindow(ExecutionTime.forCron(PARSER.parse(cron.trim())), length);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.maintenance.defragmentation.schedule \"" + cron
          + "\" is not a 5-field cron expression (minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"): "
          + e.getMessage(), e);
    }
  }

  /** Inside a window: the last opening at or before {@code now} is less than the window's length ago. */
  public boolean isOpen(Instant now) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    if (openings.isMatch(at.withSecond(0).withNano(0))) {
      return true;
    }
    return openings.lastExecution(at).map(opened -> opened.toInstant().plus(length).isAfter(now)).orElse(false);
  }
}
