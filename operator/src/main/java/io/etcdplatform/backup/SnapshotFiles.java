package io.etcdplatform.backup;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshots as files: written under a temporary name and renamed into place only once etcd's
 * integrity mark checks out and the data is on disk; copied (for a restore) with both checks.
 */
public final class SnapshotFiles {

  /** A snapshot written: its size and the sha256 of the file. */
  public record Written(long size, String sha256) {}

  private SnapshotFiles() {}

  /**
   * @throws SnapshotCorruptException the stream failed etcd's integrity check (no file is left)
   * @throws IOException writing failed (no file is left)
   */
  public static Written save(Path file, SnapshotWriter writer) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path partial = partial(file);
    SnapshotDigests digests = new SnapshotDigests();
    try (FileChannel channel = FileChannel.open(partial, CREATE, TRUNCATE_EXISTING, WRITE)) {
      writer.writeTo(new DigestingStream(Channels.newOutputStream(channel), digests));
      digests.verifyEtcdIntegrity("the snapshot");
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(partial, file, ATOMIC_MOVE, REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), READ)) {
      directory.force(true); // the rename itself survives a crash
    }
    return new Written(digests.size(), digests.sha256());
  }

  /** Where a snapshot is written until it is complete and verified. */
  static Path partial(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  /**
   * Copies the snapshot {@code in} reads (from {@code source}) to {@code target}, refusing it, and
   * deleting the copy, when its sha256 is not {@code expectedSha256} (when one is given) or its
   * etcd integrity mark does not match.
   */
  public static void copyVerified(InputStream in, String source, String expectedSha256, Path target)
      throws IOException {
    SnapshotDigests digests = new SnapshotDigests();
    try (in; OutputStream out = new DigestingStream(Files.newOutputStream(target), digests)) {
      in.transferTo(out);
    }
    try {
      String actual = digests.sha256();
      if (expectedSha256 != null && !expectedSha256.equals(actual)) {
        throw new SnapshotCorruptException("the sha256 of " + source + " is " + actual + ", not the " + expectedSha256
            + " recorded when it was backed up: the snapshot was changed or damaged");
      }
      digests.verifyEtcdIntegrity(source);
    } catch (SnapshotCorruptException e) {
      Files.deleteIfExists(target);
      throw new SnapshotCorruptException(e.getMessage() + "; refusing to restore it");
    }
  }
}
