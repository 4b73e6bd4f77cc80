package io.etcdplatform.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's one HTTP port: /healthz (the process serves), /readyz (the operator started and
 * its informers are healthy) and /metrics (Prometheus text format). Served by the JDK's own
 * HTTP server: three tiny endpoints need no framework.
 */
public final class HttpEndpoints implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "http");
    thread.setDaemon(true);
    return thread;
  });

  public HttpEndpoints(InetSocketAddress address, PrometheusMeterRegistry registry, BooleanSupplier ready)
      throws IOException {
    server = HttpServer.create(address, 16);
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
    server.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      respond(exchange, isReady ? 200 : 503, "text/plain", isReady ? "ok\n" : "not ready\n");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
  }

  public HttpEndpoints start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
      if (!"HEAD".equals(exchange.getRequestMethod())) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
