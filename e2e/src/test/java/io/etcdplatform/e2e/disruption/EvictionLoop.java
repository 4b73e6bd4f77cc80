package io.etcdplatform.e2e.disruption;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A drain that goes on until it is stopped: every 1 to 3 s it picks one of the cluster's Ready pods
 * at random and asks the Eviction API (policy/v1) to evict it, as {@code kubectl drain} does. A
 * refusal (429: the PodDisruptionBudget allows no disruption now) is normal and counted, as is an
 * admitted eviction. Only Ready pods, so that the budget decides every eviction: Kubernetes admits
 * the eviction of a pod that is not Ready whenever the others are (IfHealthyBudget), and a loop
 * that picked it again and again kept a restarted member down for minutes, testing nothing more.
 * Bounded: it stops by itself after its lifetime.
 */
public final class EvictionLoop implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> podLabels;
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastFailure;

  private EvictionLoop(KubernetesClient client, String namespace, Map<String, String> podLabels, Duration lifetime) {
    this.client = askingOnce(client);
    this.namespace = namespace;
    this.podLabels = podLabels;
    Instant end = Instant.now().plus(lifetime);
    thread = new Thread(() -> run(end), "eviction-loop");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The client as a drain's: it would otherwise retry a refusal (after the API server's Retry-After
   * of 10 s) within the same call until admitted, and no refusal would ever be seen.
   */
  private static KubernetesClient askingOnce(KubernetesClient client) {
    RequestConfig noRetries = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0)
        .build();
    return client.newClient(noRetries).adapt(KubernetesClient.class);
  }

  public static EvictionLoop start(KubernetesClient client, String namespace, Map<String, String> podLabels,
      Duration lifetime) {
    return new EvictionLoop(client, namespace, podLabels, lifetime);
  }

  private void run(Instant end) {
    while (running && Instant.now().isBefore(end)) {
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(1000, 3001));
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(podLabels).list().getItems().stream()
            .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(pod)).toList();
        if (running && !pods.isEmpty()) {
          evict(pods.get(ThreadLocalRandom.current().nextInt(pods.size())).getMetadata().getName());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) { // not the interruption of a stop
          failed.incrementAndGet();
          lastFailure = e.toString();
        }
      }
    }
  }

  private void evict(String pod) {
    long start = System.nanoTime();
    try {
      boolean evicted = client.pods().inNamespace(namespace).withName(pod).evict();
      (evicted ? admitted : refused).incrementAndGet();
      System.out.printf("%s eviction-loop: %s %s (%d ms)%n", Instant.now(), evicted ? "evicted" : "refused", pod,
          (System.nanoTime() - start) / 1_000_000);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) { // gone between the list and the eviction
        throw e;
      }
    }
  }

  /** Waits (at most {@code timeout}) until an eviction has been admitted. */
  public void awaitAnAdmittedEviction(Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> admitted.get() > 0);
  }

  public Counts counts() {
    return new Counts(admitted.get(), refused.get(), failed.get(), lastFailure);
  }

  /** Stops the loop and waits for its last call to end. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(Duration.ofSeconds(45).toMillis()); // beyond the client's request timeout
  }

  /** Evictions admitted, refused by the budget (429), and calls that failed otherwise. */
  public record Counts(int admitted, int refused, int failed, String lastFailure) {

    @Override
    public String toString() {
      return admitted + " evictions admitted, " + refused + " refused by the budget, " + failed + " calls failed"
          + (lastFailure == null ? "" : " (last: " + lastFailure + ")");
    }
  }
}
