package io.etcdplatform.bench;

import io.etcdplatform.maintenance.ClientEndpoints;
import io.etcdplatform.observation.PodState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client Service as kube-proxy makes it, on loopback: each new TCP connection goes to one of the
 * members currently in the endpoints (round robin); a connection once made stays with its member
 * when the member leaves the endpoints, as kube-proxy keeps established TCP flows. It is also the
 * benchmark's {@link ClientEndpoints}: holding a member out takes it out of the rotation.
 */
final class ServiceProxy implements ClientEndpoints, AutoCloseable {

  private final ServerSocket server;
  private final Map<String, InetSocketAddress> members = new LinkedHashMap<>();
  private final Set<String> heldOut = ConcurrentHashMap.newKeySet();
  private final AtomicInteger next = new AtomicInteger();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "service-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> open = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  ServiceProxy(Map<String, String> memberClientUrls) throws IOException {
    memberClientUrls.forEach((name, url) -> {
      URI uri = URI.create(url);
      members.put(name, new InetSocketAddress(uri.getHost(), uri.getPort()));
    });
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  @Override
  public boolean holdOut(String member, Duration timeout) {
    heldOut.add(member);
    return true;
  }

  @Override
  public void giveBack(String member) {
    heldOut.remove(member);
  }

  /** The pods as the planner sees them, with this Service's endpoints. */
  List<PodState> withEndpoints(List<PodState> pods) {
    return pods.stream().map(p -> new PodState(p.name(), p.ordinal(), p.ready(), p.upToDate(), p.createdAt(),
        p.notReadySince(), p.terminating(), !heldOut.contains(p.name()))).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        List<String> serving = members.keySet().stream().filter(m -> !heldOut.contains(m)).toList();
        if (serving.isEmpty()) {
          client.close();
          continue;
        }
        Socket backend = new Socket();
        backend.connect(members.get(serving.get(Math.floorMod(next.getAndIncrement(), serving.size()))), 5000);
        client.setTcpNoDelay(true);
        backend.setTcpNoDelay(true);
        synchronized (open) {
          open.add(client);
          open.add(backend);
        }
        connections.incrementAndGet();
        threads.submit(() -> pipe(client, backend));
        threads.submit(() -> pipe(backend, client));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
    threads.shutdownNow();
  }
}
