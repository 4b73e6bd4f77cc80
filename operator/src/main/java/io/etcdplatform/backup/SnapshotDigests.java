package io.etcdplatform.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two checks of a snapshot stream: the sha256 of the whole object (recorded with the backup,
 * verified before a restore), and etcd's own integrity mark, the sha256 of the database that
 * etcd appends as the stream's last 32 bytes. One pass of SHA-256 serves both: the digest holds
 * everything but the last 32 bytes seen so far; at the end a copy of it gives the database's
 * hash, and the digest, given the last 32 bytes, the object's. Memory: a 32-byte window.
 */
final class SnapshotDigests {

  private static final int MARK = 32;

  private final MessageDigest content = newDigest();
  private final byte[] tail = new byte[MARK];
  private final byte[] nextTail = new byte[MARK];
  private int tailLength;
  private long size;
  private byte[] databaseSha256;
  private String objectSha256;

  void update(byte[] bytes, int offset, int length) {
    size += length;
    // everything but the last 32 bytes seen so far goes to the digest
    int release = tailLength + length - MARK;
    if (release <= 0) {
      System.arraycopy(bytes, offset, tail, tailLength, length);
      tailLength += length;
      return;
    }
    int fromTail = Math.min(release, tailLength);
    content.update(tail, 0, fromTail);
    int fromBytes = release - fromTail;
    content.update(bytes, offset, fromBytes);
    System.arraycopy(tail, fromTail, nextTail, 0, tailLength - fromTail);
    System.arraycopy(bytes, offset + fromBytes, nextTail, tailLength - fromTail, length - fromBytes);
    System.arraycopy(nextTail, 0, tail, 0, MARK);
    tailLength = MARK;
  }

  long size() {
    return size;
  }

  /** The hex sha256 of everything written. */
  String sha256() {
    finish();
    return objectSha256;
  }

  /**
   * @param subject what the stream is, for the message
   * @throws SnapshotCorruptException when the last 32 bytes are not the sha256 of the rest
   */
  void verifyEtcdIntegrity(String subject) {
    if (tailLength < MARK) {
      throw new SnapshotCorruptException(subject + " is " + size + " bytes: too short to be an etcd snapshot");
    }
    finish();
    if (!MessageDigest.isEqual(databaseSha256, tail)) {
      throw new SnapshotCorruptException("the integrity mark of " + subject + " (its last 32 bytes, etcd's sha256 of "
          + "the database) does not match its content: the snapshot is damaged");
    }
  }

  private void finish() {
    if (objectSha256 != null) {
      return;
    }
    try {
      databaseSha256 = ((MessageDigest) content.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests of this JDK cannot be copied", e);
    }
    content.update(tail, 0, tailLength);
    objectSha256 = HexFormat.of().formatHex(content.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
