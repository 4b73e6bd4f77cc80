package io.etcdplatform.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One etcd cluster through jetcd, with a deadline on every call: jetcd calls without one can hang
 * a thread forever (jetcd #634, #694, #922). Fail-fast, not wait-for-ready, so an unreachable
 * member costs one deadline, not a reconnect loop.
 */
public final class EtcdConnection implements MemberChanges, AutoCloseable {

  /** etcd sends a snapshot in 32 KiB chunks: up to 2 MiB wait for the storage. */
  private static final int SNAPSHOT_QUEUED_CHUNKS = 64;

  private final List<String> endpoints;
  private final Duration deadline;
  private final Optional<ClientTls> tls;
  private final Optional<EtcdCredential> credential;
  private final Client client;

  public EtcdConnection(List<String> endpoints, Duration deadline) {
    this(endpoints, deadline, Optional.empty());
  }

  public EtcdConnection(List<String> endpoints, Duration deadline, Optional<ClientTls> tls) {
    this(endpoints, deadline, tls, Optional.empty());
  }

  /** @param credential the user and password every call authenticates with (etcd auth on a plaintext cluster) */
  public EtcdConnection(List<String> endpoints, Duration deadline, Optional<ClientTls> tls,
      Optional<EtcdCredential> credential) {
    this.endpoints = List.copyOf(endpoints);
    this.deadline = deadline;
    this.tls = tls;
    this.credential = credential;
    this.client = newClient(endpoints);
  }

  private Client newClient(List<String> urls) {
    ClientBuilder builder = Client.builder();
    tls.ifPresent(material -> builder.sslContext(material.sslContext()));
    credential.ifPresent(c -> builder.user(ByteSequence.from(c.user(), java.nio.charset.StandardCharsets.UTF_8))
        .password(ByteSequence.from(c.password(), java.nio.charset.StandardCharsets.UTF_8)));
    return builder
        .endpoints(urls.stream().map(URI::create).toList())
        .connectTimeout(deadline)
        .waitForReady(false)
        .retryMaxAttempts(1)
        .keepaliveTime(Duration.ofSeconds(30))
        .keepaliveTimeout(deadline)
        // etcd's gRPC server answers pings on a connection with no call in flight with GOAWAY
        // too_many_pings (the third one closes it): ping only while a call, such as a snapshot, runs
        .keepaliveWithoutCalls(false)
        .build();
  }

  public List<String> endpoints() {
    return endpoints;
  }

  /** etcd's auth API (users, roles, enabling auth) through this connection. */
  public EtcdAuthCalls auth() {
    return new EtcdAuthCalls(this, client.getAuthClient());
  }

  /**
   * Why this connection's credential is refused, when it is: asked once, within the deadline. Empty
   * when the cluster accepts it or the failure is of another kind (a member down, a timeout).
   */
  public Optional<String> credentialRefusal() {
    if (credential.isEmpty()) {
      return Optional.empty();
    }
    try {
      call("list members as " + credential.get().user(), () -> client.getClusterClient().listMember());
      return Optional.empty();
    } catch (EtcdUnavailableException e) {
      return AuthFailures.refusal(e);
    }
  }

  public MemberListResponse memberList() {
    return firstAnswer("list members", () -> client.getClusterClient().listMember());
  }

  /** The status of the member serving {@code clientUrl}, asked of that member alone. */
  public StatusResponse status(String clientUrl) {
    return call("status of " + clientUrl, () -> statusOf(clientUrl));
  }

  /**
   * The statuses of several members, each asked of that member alone, all at once: the members that
   * do not answer cost one deadline together, not one each. A member that did not answer is absent.
   */
  public Map<String, StatusResponse> statuses(Collection<String> clientUrls) {
    try {
      return statusesAsync(clientUrls, deadline).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause()); // statusesAsync completes normally
    }
  }

  /** {@link #statuses} with a deadline of its own, completing within it without blocking a thread. */
  public CompletableFuture<Map<String, StatusResponse>> statusesAsync(Collection<String> clientUrls,
      Duration timeout) {
    Map<String, CompletableFuture<StatusResponse>> asked = new LinkedHashMap<>();
    for (String url : clientUrls) {
      // a member that fails or does not answer in time answers null
      asked.put(url, statusOf(url).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> null));
    }
    return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
        .thenApply(done -> {
          Map<String, StatusResponse> answered = new LinkedHashMap<>();
          asked.forEach((url, f) -> {
            StatusResponse status = f.getNow(null);
            if (status != null) {
              answered.put(url, status);
            }
          });
          return answered;
        });
  }

  private CompletableFuture<StatusResponse> statusOf(String clientUrl) {
    return ask(() -> client.getMaintenanceClient().statusMember(target(clientUrl)));
  }

  /** Adds a learner and returns its member ID. */
  @Override
  public long addLearner(String peerUrl) {
    return callAnyMember("add learner " + peerUrl,
        () -> client.getClusterClient().addMember(List.of(URI.create(peerUrl)), true)).getMember().getId();
  }

  @Override
  public void promote(long memberId) {
    callAnyMember("promote " + Long.toHexString(memberId), () -> client.getClusterClient().promoteMember(memberId));
  }

  /** Removes a member; one already gone counts as removed (an earlier attempt may have timed out after it took effect). */
  @Override
  public void remove(long memberId) {
    try {
      callAnyMember("remove " + Long.toHexString(memberId), () -> client.getClusterClient().removeMember(memberId));
    } catch (EtcdUnavailableException e) {
      if (!e.getMessage().contains("member not found")) {
        throw e;
      }
    }
  }

  /** MoveLeader is served by the leader only, so it is sent to the leader's own endpoint. */
  @Override
  public void moveLeader(String leaderClientUrl, long toMemberId) {
    try (Client leader = newClient(List.of(leaderClientUrl))) {
      call("move leader to " + Long.toHexString(toMemberId), () -> leader.getMaintenanceClient().moveLeader(toMemberId));
    }
  }

  /** The hash of the key-value store up to {@code revision} on one member, with the revision it compacted to. */
  public MemberHash hashKv(String clientUrl, long revision) {
    return hashKv(clientUrl, revision, deadline);
  }

  /** As {@link #hashKv(String, long)}, within {@code timeout}: a member reads its whole keyspace for it. */
  public MemberHash hashKv(String clientUrl, long revision, Duration timeout) {
    HashKVResponse response = call("hash of " + clientUrl, timeout,
        () -> client.getMaintenanceClient().hashKV(target(clientUrl), revision));
    return new MemberHash(Integer.toUnsignedLong(response.getHash()), response.getCompacted());
  }

  /** How many keys the whole keyspace held at {@code revision} (a count-only range: no key is sent). */
  public long keyCount(long revision) {
    ByteSequence everything = ByteSequence.from(new byte[] {0});
    return firstAnswer("count of the keys at revision " + revision, () -> client.getKVClient().get(everything,
        GetOption.builder().withRange(everything).withCountOnly(true).withRevision(revision).build())).getCount();
  }

  /**
   * Reads the keys from {@code from} to the end of the keyspace from the member serving
   * {@code clientUrl} only: serializable (that member's copy, no round of the leader), keys only,
   * {@code pageSize} keys a page, every page at the revision of the first, each within the deadline.
   * Each page is handed to {@code pages}; reading stops at the end or when it answers false.
   */
  public KeyScan scanKeys(String clientUrl, byte[] from, int pageSize, Predicate<List<byte[]>> pages) {
    ByteSequence end = ByteSequence.from(new byte[] {0});
    byte[] next = from;
    long revision = 0;
    long pagesRead = 0;
    long bytesRead = 0;
    try (Client member = newClient(List.of(clientUrl))) {
      while (true) { // bounded: each page moves past its last key, and the consumer's budget ends it
        GetOption.Builder option = GetOption.builder().withRange(end).withKeysOnly(true).withSerializable(true)
            .withLimit(pageSize).withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND);
        if (revision > 0) {
          option.withRevision(revision);
        }
        ByteSequence key = ByteSequence.from(next);
        GetResponse page = call("keys of " + clientUrl + " from page " + pagesRead, () -> member.getKVClient().get(key,
            option.build()));
        if (revision == 0) {
          revision = page.getHeader().getRevision();
        }
        pagesRead++;
        List<byte[]> keys = new ArrayList<>(page.getKvs().size());
        for (KeyValue kv : page.getKvs()) {
          byte[] k = kv.getKey().getBytes();
          keys.add(k);
          bytesRead += k.length;
        }
        boolean wanted = pages.test(keys);
        if (!wanted || !page.isMore() || keys.isEmpty()) {
          return new KeyScan(revision, pagesRead, bytesRead, !page.isMore());
        }
        byte[] last = keys.get(keys.size() - 1);
        next = Arrays.copyOf(last, last.length + 1); // the last key + "\0": the first key after it
      }
    }
  }

  /**
   * Compacts the history up to {@code revision} and waits until it is applied on disk; a revision
   * already compacted counts as done.
   */
  public void compact(long revision, Duration timeout) {
    try {
      call("compact to " + revision, timeout, () -> client.getKVClient().compact(revision,
          CompactOption.builder().withCompactPhysical(true).build()));
    } catch (EtcdUnavailableException e) {
      if (!e.getMessage().contains("compacted")) {
        throw e;
      }
    }
  }

  /** Defragments one member, which serves nothing until it is done: hence its own deadline. */
  public void defragment(String clientUrl, Duration timeout) {
    call("defragment " + clientUrl, timeout, () -> client.getMaintenanceClient().defragmentMember(target(clientUrl)));
  }

  /** Disarms NOSPACE; CORRUPT is never disarmed by the operator (and jetcd cannot name it). */
  public void disarmNoSpace(long memberId) {
    AlarmType type = AlarmType.NOSPACE;
    callAnyMember("disarm " + type + " on " + Long.toHexString(memberId),
        () -> client.getMaintenanceClient().alarmDisarm(new AlarmMember(memberId, type)));
  }

  /**
   * Streams a snapshot of the member serving {@code clientUrl} into {@code out}, written from a
   * thread of its own so that etcd's stream never waits for it; returns its size.
   *
   * @throws IOException {@code out} failed (the storage, not etcd)
   */
  public long snapshot(String clientUrl, OutputStream out, Duration timeout) throws IOException {
    try (Client member = newClient(List.of(clientUrl));
         HandOffStream handOff = new HandOffStream(out, SNAPSHOT_QUEUED_CHUNKS, "snapshot-writer")) {
      Instant deadline = Instant.now().plus(timeout);
      long size;
      try {
        size = call("snapshot of " + clientUrl, timeout, () -> member.getMaintenanceClient().snapshot(handOff));
      } catch (EtcdUnavailableException e) {
        handOff.throwDownstreamFailure(); // when it was the storage that failed
        throw e;
      }
      Duration left = Duration.between(Instant.now(), deadline);
      handOff.finish(left.isNegative() ? Duration.ofMillis(1) : left); // one deadline for streaming and writing
      return size;
    }
  }

  /**
   * The cluster's active alarms, one per member and kind. jetcd knows NOSPACE only: etcd's CORRUPT
   * (the one other alarm etcd 3.4 to 3.6 raise) reaches it as UNRECOGNIZED.
   */
  public List<Alarm.Raised> alarms() {
    return firstAnswer("list alarms", () -> client.getMaintenanceClient().listAlarms()).getAlarms().stream()
        .filter(a -> a.getAlarmType() != AlarmType.NONE)
        .map(a -> new Alarm.Raised(a.getMemberId(),
            a.getAlarmType() == AlarmType.NOSPACE ? Alarm.Kind.NOSPACE : Alarm.Kind.CORRUPT))
        .toList();
  }

  /** {@code http://host:port} to the gRPC target {@code host:port}. */
  private static String target(String clientUrl) {
    URI uri = URI.create(clientUrl);
    return uri.getHost() + ":" + uri.getPort();
  }

  /**
   * A cluster-wide request, tried on up to every endpoint in turn: the balancer may pick a
   * learner (which serves no membership requests) or a member that has just gone away.
   */
  private <T> T callAnyMember(String what, Supplier<CompletableFuture<T>> request) {
    EtcdUnavailableException last = null;
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      try {
        return call(what, request);
      } catch (EtcdUnavailableException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * A cluster-wide read, asked again of the next member when an attempt fails or has not answered
   * within a fifth of the deadline, the first answer taken: the balancer may pick a learner (which
   * serves no membership requests) or a member that has gone away, and a member that stopped
   * answering then costs a fraction of the deadline, not all of it.
   */
  private <T> T firstAnswer(String what, Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> first = new CompletableFuture<>();
    List<CompletableFuture<T>> asked = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    try {
      for (int i = 0; i < endpoints.size() && !first.isDone(); i++) {
        CompletableFuture<T> attempt = ask(request).orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
        asked.add(attempt);
        attempt.whenComplete((answer, failure) -> {
          if (failure == null) {
            first.complete(answer);
          } else if (failed.incrementAndGet() == endpoints.size()) {
            first.completeExceptionally(failure);
          }
        });
        awaitSettled(attempt, deadline.dividedBy(5));
      }
      return call(what, () -> first);
    } finally {
      asked.forEach(f -> f.cancel(true));
    }
  }

  private static <T> CompletableFuture<T> ask(Supplier<CompletableFuture<T>> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Waits until the attempt answered or failed, or the time is up, whichever comes first. */
  private static void awaitSettled(CompletableFuture<?> attempt, Duration atMost) {
    try {
      attempt.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // settled by failing, or still running: either way the next member is asked
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  <T> T call(String what, Supplier<CompletableFuture<T>> request) {
    return call(what, deadline, request);
  }

  private <T> T call(String what, Duration timeout, Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> future = request.get();
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new EtcdUnavailableException(what + ": no answer within " + timeout.toMillis() + "ms", e);
    } catch (ExecutionException e) {
      throw new EtcdUnavailableException(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new EtcdUnavailableException(what + ": interrupted", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
