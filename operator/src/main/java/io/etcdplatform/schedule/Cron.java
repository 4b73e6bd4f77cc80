package io.etcdplatform.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/** A standard 5-field cron expression in UTC, parsed by cron-utils. */
public final class Cron {

  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime times;

  private Cron(ExecutionTime times) {
    this.times = times;
  }

  /** @throws IllegalArgumentException naming {@code field}, the expression and what is wrong with it */
  public static Cron parse(String expression, String field) {
    try {
      return new Cron(ExecutionTime.forCron(PARSER.parse(expression.trim())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " \"" + expression + "\" is not a 5-field cron expression (minute hour "
          + "day-of-month month day-of-week, e.g. \"0 3 * * *\"): " + e.getMessage(), e);
    }
  }

  public static boolean isValid(String expression) {
    try {
      PARSER.parse(expression.trim());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The last time it fires at or before {@code now} (whole minutes). */
  public Optional<Instant> lastAtOrBefore(Instant now) {
    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    ZonedDateTime minute = at.withSecond(0).withNano(0);
    if (times.isMatch(minute)) {
      return Optional.of(minute.toInstant());
    }
    return times.lastExecution(at).map(ZonedDateTime::toInstant);
  }

  public Optional<Instant> nextAfter(Instant now) {
    return times.nextExecution(now.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
  }
}
