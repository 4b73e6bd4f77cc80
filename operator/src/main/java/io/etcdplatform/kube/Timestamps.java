package io.etcdplatform.kube;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as Kubernetes writes them in statuses and Events: RFC 3339, whole seconds, UTC. */
public final class Timestamps {

  private Timestamps() {}

  public static String of(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
