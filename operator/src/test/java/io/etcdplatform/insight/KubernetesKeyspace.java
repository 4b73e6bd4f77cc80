package io.etcdplatform.insight;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A keyspace as Kubernetes lays it out: one namespace with many pods among a few small ones. */
public final class KubernetesKeyspace {

  private KubernetesKeyspace() {}

  public static final List<String> SMALL_NAMESPACES = List.of("default", "kube-system", "team-a");
  public static final int SMALL_PODS = 40;
  public static final int CONFIGMAPS = 25;
  public static final int WIDGETS = 30;
  public static final int NODES = 5;
  /** etcd's default --max-txn-ops. */
  private static final int OPS_PER_TXN = 128;
  private static final int TXNS_IN_FLIGHT = 16;

  public static long totalKeys(int bigPods) {
    return bigPods + SMALL_NAMESPACES.size() * (SMALL_PODS + CONFIGMAPS + WIDGETS) + SMALL_NAMESPACES.size() + 1
        + NODES;
  }

  public static List<String> keys(int bigPods) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < bigPods; i++) {
      keys.add("/registry/pods/big/web-" + i);
    }
    keys.add("/registry/namespaces/big");
    for (String ns : SMALL_NAMESPACES) {
      keys.add("/registry/namespaces/" + ns);
      for (int i = 0; i < SMALL_PODS; i++) {
        keys.add("/registry/pods/" + ns + "/pod-" + i);
      }
      for (int i = 0; i < CONFIGMAPS; i++) {
        keys.add("/registry/configmaps/" + ns + "/cm-" + i);
      }
      for (int i = 0; i < WIDGETS; i++) {
        keys.add("/registry/example.com/widgets/" + ns + "/w-" + i);
      }
    }
    for (int i = 0; i < NODES; i++) {
      keys.add("/registry/minions/node-" + i);
    }
    return keys;
  }

  /** Puts every key with a small value, in transactions of etcd's maximum size, several in flight. */
  public static void write(Client client, int bigPods) throws Exception {
    ByteSequence value = ByteSequence.from("{\"kind\":\"Pod\",\"spec\":{}}", StandardCharsets.UTF_8);
    List<String> keys = keys(bigPods);
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += OPS_PER_TXN) {
      List<Op> puts = keys.subList(from, Math.min(keys.size(), from + OPS_PER_TXN)).stream()
          .map(k -> (Op) Op.put(ByteSequence.from(k, StandardCharsets.UTF_8), value, PutOption.DEFAULT))
          .toList();
      inFlight.add(client.getKVClient().txn().Then(puts.toArray(Op[]::new)).commit());
      if (inFlight.size() >= TXNS_IN_FLIGHT) {
        inFlight.remove(0).get(30, TimeUnit.SECONDS);
      }
    }
    for (CompletableFuture<?> txn : inFlight) {
      txn.get(30, TimeUnit.SECONDS);
    }
  }
}
