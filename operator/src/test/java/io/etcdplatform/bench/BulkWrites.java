package io.etcdplatform.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.etcdplatform.testing.EtcdProcessCluster;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Fills a cluster with {@code liveMiB} of 64 KiB values, written {@code rounds} times over, 8 writes in flight. */
final class BulkWrites {

  private static final int VALUE_BYTES = 64 * 1024;

  private BulkWrites() {}

  /** Returns the revision of the last write. */
  static long write(EtcdProcessCluster cluster, int liveMiB, int rounds) throws Exception {
    try (Client client = Client.builder().endpoints(cluster.clientUrls().stream().map(URI::create).toList()).build()) {
      byte[] value = new byte[VALUE_BYTES];
      long revision = 0;
      int keys = liveMiB * 1024 * 1024 / VALUE_BYTES;
      for (int round = 0; round < rounds; round++) {
        Arrays.fill(value, (byte) (round + 1));
        ByteSequence bytes = ByteSequence.from(value);
        List<CompletableFuture<PutResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
          inFlight.add(client.getKVClient().put(ByteSequence.from(("k" + i).getBytes()), bytes));
          if (inFlight.size() == 8 || i == keys - 1) {
            for (var put : inFlight) {
              revision = Math.max(revision, put.get(30, TimeUnit.SECONDS).getHeader().getRevision());
            }
            inFlight.clear();
          }
        }
      }
      return revision;
    }
  }
}
