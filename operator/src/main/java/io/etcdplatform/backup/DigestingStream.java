package io.etcdplatform.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Every byte written goes through the snapshot's digests on its way to {@code out}. */
final class DigestingStream extends FilterOutputStream {

  private final SnapshotDigests digests;

  DigestingStream(OutputStream out, SnapshotDigests digests) {
    super(out);
    this.digests = digests;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    digests.update(bytes, offset, length);
    out.write(bytes, offset, length);
  }
}
