package io.etcdplatform.backup;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a member's claim can hold a restore: the snapshot is downloaded onto the same claim and
 * etcdutl copies it into the new data directory, so it needs twice the snapshot's size, plus room
 * for the WAL etcdutl writes (a 64 MiB segment, preallocated). Checked before the download. Pure
 * but for {@link #of(Path)}.
 */
final class RestoreSpace {

  static final long WAL_HEADROOM = 80L << 20;
  private static final long GIB = 1L << 30;

  /** The space of the file system a directory is on. */
  record Space(long usable, long total) {}

  /** How a restore finds the space of its claim (tests give their own). */
  interface Probe {
    Space of(Path directory) throws IOException;
  }

  private RestoreSpace() {}

  static Space of(Path directory) throws IOException {
    FileStore store = Files.getFileStore(directory);
    return new Space(store.getUsableSpace(), store.getTotalSpace());
  }

  static long needed(long snapshotBytes) {
    return 2 * snapshotBytes + WAL_HEADROOM;
  }

  /**
   * Why the claim cannot hold the restore of {@code source}, naming the field to change and the
   * size that would do; empty when it fits.
   */
  static Optional<String> shortage(long snapshotBytes, Space space, String source, String storageSize) {
    long needed = needed(snapshotBytes);
    if (space.usable() >= needed) {
      return Optional.empty();
    }
    long enough = (space.total() - space.usable() + needed + GIB - 1) / GIB;
    return Optional.of("not enough space on the member's volume to restore " + source + " ("
        + readable(snapshotBytes) + "): it needs " + readable(needed) + " free (the snapshot is downloaded onto "
        + "the same claim and restored beside it: twice its size, plus 80 MiB for etcd's WAL), "
        + readable(space.usable()) + " is free; nothing was restored: raise spec.storage.size"
        + (storageSize == null ? "" : " (" + storageSize + ")") + " to at least " + enough + "Gi");
  }

  static String readable(long bytes) {
    if (bytes >= GIB) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
