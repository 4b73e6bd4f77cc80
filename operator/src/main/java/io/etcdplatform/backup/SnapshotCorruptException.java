package io.etcdplatform.backup;

/** A snapshot that fails verification; it is never restored. */
public final class SnapshotCorruptException extends RuntimeException {

  public SnapshotCorruptException(String message) {
    super(message);
  }
}
