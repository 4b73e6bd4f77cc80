package io.etcdplatform.members;

import java.time.Instant;

/**
 * A member pod as observed in Kubernetes.
 *
 * @param upToDate runs the StatefulSet's current template (version, flags); false means a restart is due
 */
public record PodState(String name, int ordinal, boolean ready, boolean upToDate, Instant createdAt) {}
