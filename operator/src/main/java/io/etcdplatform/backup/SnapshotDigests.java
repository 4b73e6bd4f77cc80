package io.etcdplatform.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two checks of a snapshot stream: the sha256 of the whole object (recorded with the backup,
 * verified before a restore), and etcd's own integrity mark, the sha256 of the database that
 * etcd appends as the stream's last 32 bytes. Memory: a 32-byte window.
 */
final class SnapshotDigests {

  private static final int MARK = 32;

  private final MessageDigest whole = newDigest();
  private final MessageDigest database = newDigest();
  private final byte[] tail = new byte[MARK];
  private int tailLength;
  private long size;

  void update(byte[] bytes, int offset, int length) {
    whole.update(bytes, offset, length);
    size += length;
    // everything but the last 32 bytes seen so far goes to the database digest
    int release = tailLength + length - MARK;
    if (release <= 0) {
      System.arraycopy(bytes, offset, tail, tailLength, length);
      tailLength += length;
      return;
    }
    int fromTail = Math.min(release, tailLength);
    database.update(tail, 0, fromTail);
    int fromBytes = release - fromTail;
    database.update(bytes, offset, fromBytes);
    byte[] next = new byte[MARK];
    System.arraycopy(tail, fromTail, next, 0, tailLength - fromTail);
    System.arraycopy(bytes, offset + fromBytes, next, tailLength - fromTail, length - fromBytes);
    System.arraycopy(next, 0, tail, 0, MARK);
    tailLength = MARK;
  }

  long size() {
    return size;
  }

  /** The hex sha256 of everything written. */
  String sha256() {
    return HexFormat.of().formatHex(whole.digest());
  }

  /** @throws SnapshotCorruptException when the last 32 bytes are not the sha256 of the rest */
  void verifyEtcdIntegrity() {
    if (tailLength < MARK) {
      throw new SnapshotCorruptException("the snapshot is " + size + " bytes: too short to be an etcd snapshot");
    }
    byte[] expected = database.digest();
    if (!MessageDigest.isEqual(expected, tail)) {
      throw new SnapshotCorruptException("the snapshot's integrity mark (its last 32 bytes, etcd's sha256 of the "
          + "database) does not match its content: the snapshot is damaged");
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
