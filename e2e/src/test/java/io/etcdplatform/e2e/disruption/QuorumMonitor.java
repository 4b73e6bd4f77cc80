package io.etcdplatform.e2e.disruption;

import io.etcdplatform.e2e.disruption.MemberGateway.Reply;
import io.etcdplatform.e2e.disruption.MemberGateway.Voter;
import io.etcdplatform.kube.KubernetesMemberAddresses;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Samples a cluster's voting members every {@link #INTERVAL} through etcd itself, not through the
 * operator: each sample asks every member the cluster may have (ordinals below {@code maxMembers})
 * for its status at once, and the member that says it leads for the member list. The samples are
 * judged by {@link QuorumVerdict}. Bounded: it stops after its lifetime, or when stopped.
 */
public final class QuorumMonitor implements AutoCloseable {

  static final Duration INTERVAL = Duration.ofMillis(500);
  static final Duration DEADLINE = Duration.ofSeconds(2);

  private final MemberGateway gateway = new MemberGateway(DEADLINE);
  private final Map<String, String> clientUrls;
  private final ExecutorService calls;
  private final List<QuorumSample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean running = true;
  private volatile List<Voter> voters;

  private QuorumMonitor(Map<String, String> clientUrls, List<Voter> voters, Duration lifetime) {
    this.clientUrls = clientUrls;
    this.voters = voters;
    this.calls = Executors.newFixedThreadPool(clientUrls.size());
    Instant end = Instant.now().plus(lifetime);
    thread = new Thread(() -> run(end), "quorum-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts sampling once a member of the running cluster lists its voters (waiting at most a minute). */
  public static QuorumMonitor start(String cluster, String namespace, int maxMembers, Duration lifetime)
      throws InterruptedException {
    KubernetesMemberAddresses addresses = new KubernetesMemberAddresses(cluster, namespace, "http");
    Map<String, String> urls = new LinkedHashMap<>();
    for (int ordinal = 0; ordinal < maxMembers; ordinal++) {
      urls.put(cluster + "-" + ordinal, addresses.clientUrl(cluster + "-" + ordinal));
    }
    return new QuorumMonitor(urls, firstVoters(urls.values()), lifetime);
  }

  private static List<Voter> firstVoters(Iterable<String> urls) throws InterruptedException {
    MemberGateway gateway = new MemberGateway(DEADLINE);
    Instant end = Instant.now().plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(end)) {
      for (String url : urls) {
        try {
          return gateway.voters(url);
        } catch (IOException e) {
          // not this member: the next one
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("no member of " + urls + " listed its voters within a minute");
  }

  private void run(Instant end) {
    while (running && Instant.now().isBefore(end)) {
      QuorumSample sample = sample();
      if (running) { // a sample cut short by the stop would be missing answers it never waited for
        samples.add(sample);
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private QuorumSample sample() {
    Instant at = Instant.now();
    Map<String, Reply> replies = askEveryMember();
    refreshVoters(replies);
    List<Voter> current = voters;
    Set<String> voterIds = current.stream().map(Voter::id).collect(Collectors.toSet());
    int answering = 0;
    int timedOut = 0;
    boolean leaderKnown = false;
    for (Voter voter : current) {
      Reply reply = replies.getOrDefault(voter.name(), Reply.REFUSED);
      if (reply.status() != null && reply.status().memberId().equals(voter.id()) && !reply.status().learner()) {
        answering++;
        leaderKnown |= voterIds.contains(reply.status().leaderId());
      } else if (reply.timedOut()) {
        timedOut++;
      }
    }
    return new QuorumSample(at, current.size(), answering, timedOut, leaderKnown);
  }

  private Map<String, Reply> askEveryMember() {
    Map<String, Future<Reply>> pending = new LinkedHashMap<>();
    clientUrls.forEach((name, url) -> pending.put(name, calls.submit(() -> gateway.status(url))));
    Map<String, Reply> replies = new LinkedHashMap<>();
    pending.forEach((name, future) -> replies.put(name, replyWithin(future)));
    return replies;
  }

  /** A call's own timeouts bound it already; this bounds a call that hangs anyway (connect, then read). */
  private static Reply replyWithin(Future<Reply> future) {
    try {
      return future.get(DEADLINE.toMillis() * 2 + 500, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return Reply.TIMED_OUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.TIMED_OUT;
    } catch (ExecutionException e) {
      return Reply.REFUSED;
    }
  }

  /** The voters as the member that says it leads lists them; the last known ones if it did not answer. */
  private void refreshVoters(Map<String, Reply> replies) {
    replies.entrySet().stream()
        .filter(e -> e.getValue().status() != null)
        .filter(e -> e.getValue().status().memberId().equals(e.getValue().status().leaderId()))
        .findFirst()
        .ifPresent(leader -> {
          try {
            List<Voter> listed = gateway.voters(clientUrls.get(leader.getKey()));
            if (!listed.isEmpty()) {
              voters = listed;
            }
          } catch (IOException e) {
            // the leader's list did not come: the last one stands for this sample
          }
        });
  }

  /** Stops sampling and judges the samples taken. */
  public QuorumVerdict stop() throws InterruptedException {
    close();
    return QuorumVerdict.of(List.copyOf(samples));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(DEADLINE.toMillis() * 3);
    calls.shutdownNow();
  }
}
