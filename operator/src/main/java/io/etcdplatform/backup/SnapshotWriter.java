package io.etcdplatform.backup;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a snapshot into the stream it is given. */
@FunctionalInterface
public interface SnapshotWriter {
  void writeTo(OutputStream out) throws IOException;
}
