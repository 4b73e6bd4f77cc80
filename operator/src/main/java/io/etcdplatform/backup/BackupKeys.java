package io.etcdplatform.backup;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Object keys of snapshots: {@code <prefix>/<cluster>/<backup name>.db}, without empty segments. */
public final class BackupKeys {

  private BackupKeys() {}

  public static String of(String prefix, String cluster, String backup) {
    return Stream.concat(Stream.of((prefix == null ? "" : prefix).split("/")), Stream.of(cluster, backup + ".db"))
        .filter(segment -> !segment.isEmpty()).collect(Collectors.joining("/"));
  }
}
