package io.etcdplatform.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a storage server, passing what the client sends at a bounded
 * rate (answers at full speed), so that a backup of a few MiB streams for seconds. Threads of this
 * JVM only; closing it closes every connection.
 */
final class ThrottledProxy implements AutoCloseable {

  private static final int CHUNK = 16 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long bytesPerSecond;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ThrottledProxy(URI target, long bytesPerSecond) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.bytesPerSecond = bytesPerSecond;
  }

  static ThrottledProxy start(URI target, long bytesPerSecond) throws IOException {
    ThrottledProxy proxy = new ThrottledProxy(target, bytesPerSecond);
    daemon("proxy-accept", proxy::accept);
    return proxy;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        daemon("proxy-up", () -> pump(client, server, bytesPerSecond));
        daemon("proxy-down", () -> pump(server, client, Long.MAX_VALUE));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to, long rate) {
    byte[] buffer = new byte[CHUNK];
    long started = System.nanoTime();
    long sent = 0;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
        long due = started + (long) (sent * 1e9 / rate);
        long wait = (due - System.nanoTime()) / 1_000_000;
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the other side closed: so does this one
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closeQuietly(listener);
    sockets.forEach(ThrottledProxy::closeQuietly);
  }
}
