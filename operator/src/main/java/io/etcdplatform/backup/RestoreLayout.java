package io.etcdplatform.backup;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a member's restore writes on its claim: the snapshot downloaded beside the data directory,
 * etcdutl's output written aside under {@code <data>.restoring}, renamed into place only once
 * complete, so that a restore stopped anywhere leaves no data directory etcd could start on.
 */
record RestoreLayout(Path data) {

  /** What the claim holds before a restore. */
  record Found(boolean complete, List<Path> leftovers) {}

  Path restoring() {
    return data.resolveSibling(data.getFileName() + ".restoring");
  }

  Path snapshot() {
    return data.resolveSibling("restore.db");
  }

  /**
   * Whether the data directory is complete, and what else lies where a restore writes: an
   * incomplete data directory, the directory written aside, a downloaded snapshot.
   */
  Found inspect() throws IOException {
    boolean complete = hasWal(data);
    List<Path> leftovers = Stream.of(complete ? null : data, restoring(), snapshot())
        .filter(path -> path != null && Files.exists(path)).toList();
    return new Found(complete, leftovers);
  }

  /**
   * etcdutl writes the WAL after the database, and etcd writes one at its first start before it
   * serves anything: a data directory without a WAL segment (the operator sets no --wal-dir) was
   * never served from and holds nothing of a finished restore.
   */
  static boolean hasWal(Path data) throws IOException {
    Path wal = data.resolve("member").resolve("wal");
    if (!Files.isDirectory(wal)) {
      return false;
    }
    try (Stream<Path> files = Files.list(wal)) {
      return files.anyMatch(file -> file.getFileName().toString().endsWith(".wal"));
    }
  }

  static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path file : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** The finished restore becomes the data directory in one rename, which survives a crash once synced. */
  void moveIntoPlace() throws IOException {
    Files.move(restoring(), data, ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(data.toAbsolutePath().getParent(), READ)) {
      directory.force(true);
    }
  }
}
