package io.etcdplatform.insight;

import io.etcdplatform.api.v1alpha1.KeyspaceInspectionSpec;
import io.etcdplatform.api.v1alpha1.KeyspaceStatus;
import io.etcdplatform.schedule.Cron;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a cluster's keyspace is to be inspected now (pure): asked for by a new value of the
 * {@value #ANNOTATION} annotation, or the schedule fired since the last inspection.
 */
public final class KeyspaceInspectionDue {

  public static final String ANNOTATION = "etcdplatform.io/inspect-keyspace";

  /** Why an inspection runs; {@code request} is the annotation's value it answers, null for the schedule. */
  public record Reason(String words, String request) {}

  private KeyspaceInspectionDue() {}

  public static Optional<Reason> check(KeyspaceInspectionSpec spec, String annotation, KeyspaceStatus last,
      Instant now) {
    if (annotation != null && !annotation.isBlank() && (last == null || !annotation.equals(last.getRequest()))) {
      return Optional.of(new Reason("asked for by the " + ANNOTATION + " annotation", annotation));
    }
    if (spec == null || spec.getSchedule() == null || spec.getSchedule().isBlank()) {
      return Optional.empty();
    }
    Optional<Instant> fired = Cron.parse(spec.getSchedule(), "spec.keyspaceInspection.schedule").lastAtOrBefore(now);
    Instant measured = last == null || last.getMeasuredAt() == null ? null : Instant.parse(last.getMeasuredAt());
    return fired.filter(time -> measured == null || measured.isBefore(time))
        .map(time -> new Reason("scheduled (" + spec.getSchedule() + ")", last == null ? null : last.getRequest()));
  }
}
