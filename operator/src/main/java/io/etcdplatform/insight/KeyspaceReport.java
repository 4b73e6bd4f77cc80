package io.etcdplatform.insight;

import java.util.List;

/**
 * What one inspection counted. partial is true when the budget stopped it before the end of the
 * keyspace; the counts then cover the keys up to the last one read.
 */
public record KeyspaceReport(long totalKeys, long totalBytes, boolean partial, String stoppedBy,
    List<KeyspacePrefix> top) {

  public KeyspaceReport {
    top = List.copyOf(top);
  }
}
