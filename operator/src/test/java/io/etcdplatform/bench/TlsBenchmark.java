package io.etcdplatform.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcdplatform.etcd.ClientTls;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MemberCertificates;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What mutual TLS costs, beside plaintext in the same run, on three real etcd 3.6 members formed by
 * the membership engine: the time to form the cluster, a burst of 1,000 sequential writes (each
 * acknowledged before the next), and a new client's first request (the TLS handshake).
 */
public final class TlsBenchmark {

  private static final int WRITES = 1000;
  private static final int NEW_CLIENTS = 20;

  private record Figures(Duration formation, Duration burst, double p50Millis, double p99Millis, Duration firstRequest) {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of("target", "bench-tls").toAbsolutePath();
    measure(work, false); // warm-up: class loading, JIT, page cache
    Figures plain = measure(work, false);
    Figures tls = measure(work, true);
    System.out.println();
    System.out.println("TLS: three etcd 3.6 members, mutual TLS on both planes (ECDSA P-256) beside plaintext, same run");
    System.out.printf("%-44s %12s %12s %8s%n", "", "plaintext", "mutual TLS", "ratio");
    row("form the cluster (membership engine)", plain.formation().toMillis(), tls.formation().toMillis(), "ms");
    row(WRITES + " sequential writes", plain.burst().toMillis(), tls.burst().toMillis(), "ms");
    row("write latency p50", plain.p50Millis(), tls.p50Millis(), "ms");
    row("write latency p99", plain.p99Millis(), tls.p99Millis(), "ms");
    row("new client's first request (median of " + NEW_CLIENTS + ")", plain.firstRequest().toNanos() / 1e6,
        tls.firstRequest().toNanos() / 1e6, "ms");
  }

  private static void row(String name, double plain, double tls, String unit) {
    System.out.printf("%-44s %9.1f %s %9.1f %s %7.2fx%n", name, plain, unit, tls, unit, tls / plain);
  }

  private static Figures measure(Path work, boolean mutualTls) throws Exception {
    Path dir = work.resolve(mutualTls ? "tls" : "plain");
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("b", dir, 210, Binaries.etcd("etcd"))) {
      Optional<ClientTls> tls = mutualTls
          ? Optional.of(new MemberCertificates().applyTo(cluster, 3, work.resolve("certs"))) : Optional.empty();
      long start = System.nanoTime();
      try (MembershipDriver driver = new MembershipDriver(cluster, PlannerSettings.DEFAULTS)) {
        driver.converge(3, Duration.ofSeconds(120));
      }
      Duration formation = Duration.ofNanos(System.nanoTime() - start);
      List<Long> latencies = new ArrayList<>();
      Duration burst;
      try (Client client = client(cluster.clientUrls(), tls)) {
        client.getKVClient().put(bytes("warm"), bytes("up")).get(10, TimeUnit.SECONDS);
        long burstStart = System.nanoTime();
        for (int i = 0; i < WRITES; i++) {
          long put = System.nanoTime();
          client.getKVClient().put(bytes("k" + i), bytes("value-" + i)).get(10, TimeUnit.SECONDS);
          latencies.add(System.nanoTime() - put);
        }
        burst = Duration.ofNanos(System.nanoTime() - burstStart);
      }
      List<Long> firsts = new ArrayList<>();
      for (int i = 0; i < NEW_CLIENTS; i++) {
        try (Client client = client(List.of(cluster.clientUrls().get(i % 3)), tls)) {
          long first = System.nanoTime();
          client.getKVClient().get(bytes("k0")).get(10, TimeUnit.SECONDS);
          firsts.add(System.nanoTime() - first);
        }
      }
      latencies.sort(null);
      firsts.sort(null);
      return new Figures(formation, burst, latencies.get(latencies.size() / 2) / 1e6,
          latencies.get((int) (latencies.size() * 0.99)) / 1e6, Duration.ofNanos(firsts.get(firsts.size() / 2)));
    }
  }

  private static Client client(List<String> urls, Optional<ClientTls> tls) {
    ClientBuilder builder = Client.builder().endpoints(urls.stream().map(URI::create).toList());
    tls.ifPresent(material -> builder.sslContext(material.sslContext()));
    return builder.build();
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
