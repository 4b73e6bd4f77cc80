package io.etcdplatform.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree helpers for the test harnesses. */
public final class Directories {

  private Directories() {}

  /** Deletes a file or a directory with everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes everything under {@code path} but the logs ({@code *.log}, and the directories holding
   * them): what a failed run needs to be understood stays, the data (etcd's preallocated WAL
   * segments alone are 64 MiB each) goes, so a full test run does not fill the disk.
   */
  public static void deleteAllButLogs(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder())
          .filter(p -> Files.isDirectory(p) || !p.getFileName().toString().endsWith(".log"))
          .forEach(p -> p.toFile().delete()); // a directory still holding a log is not empty and stays
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
