package io.etcdplatform.insight;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts keys and bytes per prefix, fed page by page. Each key counts into exactly one prefix:
 * under {@code /registry/} its Kubernetes resource and namespace (see {@link #prefixOf}), elsewhere
 * its first {@code depth} path segments. Stops taking keys once the budget is spent.
 */
public final class KeyspaceTally {

  private static final String REGISTRY = "/registry/";

  private final int depth;
  private final int topN;
  private final KeyspaceBudget budget;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Counter> counters = new HashMap<>();
  private long totalKeys;
  private long totalBytes;
  private String stoppedBy;

  private static final class Counter {
    final KeyspacePrefix shape;
    long keys;
    long bytes;

    Counter(KeyspacePrefix shape) {
      this.shape = shape;
    }
  }

  public KeyspaceTally(int depth, int topN, KeyspaceBudget budget, Clock clock) {
    if (depth < 1) {
      throw new IllegalArgumentException("spec.insight.keyspace.depth must be at least 1, was " + depth);
    }
    if (topN < 1) {
      throw new IllegalArgumentException("spec.insight.keyspace.topN must be at least 1, was " + topN);
    }
    this.depth = depth;
    this.topN = topN;
    this.budget = budget;
    this.clock = clock;
    this.started = clock.instant();
  }

  /**
   * Takes one key with the size of its value (0 when the value was not read). Returns false, and
   * takes nothing, once the budget is spent: the caller stops reading.
   */
  public boolean accept(byte[] key, long valueBytes) {
    if (spent()) {
      stop();
      return false;
    }
    String text = new String(key, StandardCharsets.UTF_8);
    KeyspacePrefix shape = prefixOf(text);
    Counter counter = counters.computeIfAbsent(shape.prefix(), p -> new Counter(shape));
    long bytes = key.length + valueBytes;
    counter.keys++;
    counter.bytes += bytes;
    totalKeys++;
    totalBytes += bytes;
    return true;
  }

  /** True once the keys or the time of the budget are used up; the tally is not partial until a key is left unread. */
  public boolean spent() {
    return stoppedBy != null || totalKeys >= budget.maxKeys()
        || Duration.between(started, clock.instant()).compareTo(budget.maxTime()) >= 0;
  }

  /** Records that the budget left keys unread: the report is partial, naming the limit that was reached. */
  public void stop() {
    if (stoppedBy == null) {
      stoppedBy = totalKeys >= budget.maxKeys() ? "maxKeys " + budget.maxKeys()
          : "maxSeconds " + budget.maxTime().toSeconds();
    }
  }

  /** The counts so far; partial when the budget stopped the reading. */
  public KeyspaceReport report() {
    List<KeyspacePrefix> top = counters.values().stream()
        .map(c -> new KeyspacePrefix(c.shape.prefix(), c.shape.resource(), c.shape.namespace(), c.keys, c.bytes))
        .sorted(Comparator.comparingLong(KeyspacePrefix::keys).reversed().thenComparing(KeyspacePrefix::prefix))
        .limit(topN).toList();
    return new KeyspaceReport(totalKeys, totalBytes, stoppedBy != null, stoppedBy, top);
  }

  /**
   * The prefix a key counts into. Kubernetes lays out {@code /registry/<resource>/<ns>/<name>} for
   * namespaced and {@code /registry/<resource>/<name>} for cluster-scoped resources; a resource of
   * an API group (custom resources, apiregistration.k8s.io, ...) is two segments,
   * {@code <group>/<resource>}, recognised by the dot in the group. Core services are stored under
   * {@code services/specs} and {@code services/endpoints}, kept as their own resources. A key with
   * nothing after the resource segment has no namespace. Other keys: the first depth segments.
   */
  KeyspacePrefix prefixOf(String key) {
    if (key.startsWith(REGISTRY)) {
      String[] rest = key.substring(REGISTRY.length()).split("/", -1);
      int resourceSegments = rest.length > 1 && (rest[0].contains(".") || isServices(rest)) ? 2 : 1;
      if (rest.length > resourceSegments) {
        String resource = String.join("/", Arrays.copyOf(rest, resourceSegments));
        int remaining = rest.length - resourceSegments;
        String namespace = remaining >= 2 ? rest[resourceSegments] : null;
        String prefix = REGISTRY + resource + "/" + (namespace == null ? "" : namespace + "/");
        return new KeyspacePrefix(prefix, resource, namespace, 0, 0);
      }
    }
    return new KeyspacePrefix(genericPrefix(key), null, null, 0, 0);
  }

  private static boolean isServices(String[] rest) {
    return rest[0].equals("services") && (rest[1].equals("specs") || rest[1].equals("endpoints"));
  }

  private String genericPrefix(String key) {
    StringBuilder prefix = new StringBuilder();
    int start = key.startsWith("/") ? 1 : 0;
    if (start == 1) {
      prefix.append('/');
    }
    int segments = 0;
    int at = start;
    while (segments < depth) {
      int slash = key.indexOf('/', at);
      if (slash < 0) {
        // the last segment is the key's own name: the prefix is what came before it
        return prefix.toString();
      }
      prefix.append(key, at, slash + 1);
      at = slash + 1;
      segments++;
    }
    return prefix.toString();
  }
}
