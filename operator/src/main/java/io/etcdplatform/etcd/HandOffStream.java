package io.etcdplatform.etcd;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands what is written to a thread of its own, which writes it on: the writer (gRPC's event loop,
 * delivering a snapshot) waits only while {@code capacity} chunks are queued, never for the hashing
 * and the disk or network writes downstream, so etcd keeps streaming while they run. The
 * downstream's failure is thrown by the next write and by {@link #finish}.
 */
final class HandOffStream extends OutputStream {

  private static final byte[] END = new byte[0];

  private final OutputStream downstream;
  private final BlockingQueue<byte[]> queue;
  private final Thread writer;
  private volatile Exception failure;
  private volatile boolean drained;

  HandOffStream(OutputStream downstream, int capacity, String name) {
    this.downstream = downstream;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drain, name);
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    hand(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** Waits, up to {@code timeout}, until everything written has been written on. */
  void finish(Duration timeout) throws IOException {
    hand(END);
    try {
      writer.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the snapshot was written");
    }
    if (writer.isAlive()) {
      writer.interrupt();
      throw new IOException("writing the snapshot on did not finish within " + timeout.toSeconds() + " s");
    }
    throwDownstreamFailure();
    if (!drained) {
      throw new IOException("the snapshot's writing thread stopped before the end");
    }
  }

  /** Stops the writing thread, whatever it has left (after a failed snapshot). */
  @Override
  public void close() {
    writer.interrupt();
  }

  private void hand(byte[] chunk) throws IOException {
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        throwDownstreamFailure();
        if (!writer.isAlive()) {
          throw new IOException("the snapshot's writing thread has stopped");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the snapshot was written");
    }
    throwDownstreamFailure();
  }

  /** Throws what the downstream threw, if it failed. */
  void throwDownstreamFailure() throws IOException {
    Exception failed = failure;
    if (failed instanceof IOException io) {
      throw io;
    }
    if (failed instanceof RuntimeException runtime) {
      throw runtime;
    }
  }

  private void drain() {
    try {
      for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
        downstream.write(chunk);
      }
      drained = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      failure = e;
      queue.clear();
    } catch (Error e) {
      failure = new IOException("writing the snapshot on failed: " + e, e);
      queue.clear();
      throw e;
    }
  }
}
