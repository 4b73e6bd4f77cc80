package io.etcdplatform.e2e;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A snapshot that passes every check before etcdutl (its integrity mark is sealed again over the
 * damage) but that etcdutl cannot restore: both bbolt meta pages are zeroed, so etcdutl copies the
 * database into the new data directory and then fails to open it, before it writes any WAL. The
 * half-written restore the issue describes, made on purpose.
 */
final class UnopenableSnapshot {

  /** bbolt's two meta pages, at the default 4 KiB page size. */
  private static final int META_PAGES = 2 * 4096;
  private static final int MARK = 32;

  private UnopenableSnapshot() {}

  static byte[] of(byte[] snapshot) throws NoSuchAlgorithmException {
    byte[] database = Arrays.copyOf(snapshot, snapshot.length - MARK);
    Arrays.fill(database, 0, META_PAGES, (byte) 0);
    byte[] mark = MessageDigest.getInstance("SHA-256").digest(database);
    byte[] sealed = Arrays.copyOf(database, snapshot.length);
    System.arraycopy(mark, 0, sealed, database.length, MARK);
    return sealed;
  }
}
