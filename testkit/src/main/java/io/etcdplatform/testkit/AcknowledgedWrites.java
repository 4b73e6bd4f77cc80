package io.etcdplatform.testkit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client writing one key after another (and reading it back) for as long as a scenario runs,
 * retrying a failed request as a normal client would, recording every write etcd acknowledged
 * and every request's latency; afterwards each acknowledged write must read back.
 */
public final class AcknowledgedWrites implements AutoCloseable {

  /** etcdctl's default command timeout: a request slower than this counts as failed and is retried. */
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final List<String> endpoints;
  private volatile Optional<SslContext> tls;
  private volatile Client client;
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong failures = new AtomicLong();
  private final java.util.Queue<Long> latencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.Queue<String> failureCauses = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Thread thread;

  public AcknowledgedWrites(List<String> endpoints) {
    this(endpoints, Optional.empty());
  }

  /** @param tls how the writer dials a TLS cluster (its trusted authorities and client certificate) */
  public AcknowledgedWrites(List<String> endpoints, Optional<SslContext> tls) {
    this.endpoints = endpoints;
    this.tls = tls;
    client = newClient();
    thread = new Thread(this::run, "acknowledged-writes");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long n = 0;
    while (running.get()) {
      String key = "key-" + n;
      String value = "value-" + n;
      Client client = this.client;
      try {
        long start = System.nanoTime();
        client.getKVClient().put(bytes(key), bytes(value)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        latencies.add(System.nanoTime() - start);
        acknowledged.put(key, value);
        n++;
        start = System.nanoTime();
        client.getKVClient().get(bytes(key)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        latencies.add(System.nanoTime() - start);
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failures.incrementAndGet(); // not acknowledged: try the same key again
        if (failureCauses.size() < 20) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          failureCauses.add(java.time.Instant.now() + " " + cause);
        }
        sleepQuietly(100);
      }
    }
  }

  /**
   * From now on the writer dials with {@code next} (a renewed client certificate, new trusted
   * authorities): a new client takes the next request, the old one is closed once it is out of use,
   * as the operator rebuilds its client when its Secret changes (jetcd never reloads one).
   */
  public void useTls(SslContext next) {
    tls = Optional.of(next);
    Client previous = client;
    client = newClient();
    sleepQuietly(DEADLINE.toMillis());
    previous.close();
  }

  public int count() {
    return acknowledged.size();
  }

  /** Writes and reads that failed (each retried until it succeeds). */
  public long failedAttempts() {
    return failures.get();
  }

  /** When and why the first failed requests failed (at most 20). */
  public List<String> failureCauses() {
    return List.copyOf(failureCauses);
  }

  /** The p99 of the successful requests' latencies so far, in milliseconds. */
  public double p99Millis() {
    List<Long> sorted = latencies.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)) / 1e6;
  }

  /** The slowest successful request so far, in milliseconds: what one request waited at worst. */
  public double maxMillis() {
    return latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6;
  }

  public int requests() {
    return latencies.size();
  }

  private Client newClient() {
    ClientBuilder builder = Client.builder();
    tls.ifPresent(builder::sslContext);
    return builder.endpoints(endpoints.stream().map(URI::create).toList())
        .connectTimeout(DEADLINE).waitForReady(false).build();
  }

  /**
   * Stops writing and returns the acknowledged keys that do not read back with their value. Reads
   * go through a new client (members may have new addresses by now), each retried for a while as
   * a client would.
   */
  public List<String> stopAndFindMissing() throws Exception {
    running.set(false);
    thread.join(DEADLINE.toMillis() * 2);
    List<String> missing = new java.util.ArrayList<>();
    try (Client reader = newClient()) {
      for (Map.Entry<String, String> write : acknowledged.entrySet()) {
        var kvs = read(reader, write.getKey());
        if (kvs.isEmpty() || !kvs.get(0).getValue().toString(StandardCharsets.UTF_8).equals(write.getValue())) {
          missing.add(write.getKey());
        }
      }
    }
    return missing;
  }

  private static List<io.etcd.jetcd.KeyValue> read(Client reader, String key) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return reader.getKVClient().get(bytes(key)).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).getKvs();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        if (attempt == 10) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
    client.close();
  }
}
