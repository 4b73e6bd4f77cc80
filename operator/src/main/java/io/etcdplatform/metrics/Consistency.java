package io.etcdplatform.metrics;

import io.etcdplatform.etcd.MemberHash;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Whether members agree on the data: the hash of every member's key-value store at one revision
 * (HashKV), as etcd's own corruption check compares them.
 *
 * @param disagreeing the members whose hash differs from the majority's (all of them without a majority)
 */
public record Consistency(Verdict verdict, long revision, List<String> disagreeing, String message) {

  public enum Verdict { CONSISTENT, INCONSISTENT, UNKNOWN }

  /** Compares the members that answered (member name -> hash at {@code revision}). */
  public static Consistency of(long revision, Map<String, MemberHash> hashes) {
    if (hashes.size() < 2) {
      return new Consistency(Verdict.UNKNOWN, revision, List.of(),
          "fewer than two members answered HashKV at revision " + revision);
    }
    if (hashes.values().stream().map(MemberHash::compactRevision).distinct().count() > 1) {
      // a compaction was applied on some members and not yet on others: the hashes cover different ranges
      return new Consistency(Verdict.UNKNOWN, revision, List.of(),
          "members are at different compaction revisions; compared again on the next check");
    }
    Map<Long, Long> votes = hashes.values().stream()
        .collect(Collectors.groupingBy(MemberHash::hash, Collectors.counting()));
    if (votes.size() == 1) {
      return new Consistency(Verdict.CONSISTENT, revision, List.of(),
          hashes.size() + " members agree at revision " + revision);
    }
    Long majority = votes.entrySet().stream().filter(e -> e.getValue() * 2 > hashes.size())
        .map(Map.Entry::getKey).findFirst().orElse(null);
    List<String> disagreeing = new TreeMap<>(hashes).entrySet().stream()
        .filter(e -> majority == null || e.getValue().hash() != majority).map(Map.Entry::getKey).toList();
    String hashList = new TreeMap<>(hashes).entrySet().stream()
        .map(e -> e.getKey() + "=" + Long.toHexString(e.getValue().hash())).collect(Collectors.joining(", "));
    return new Consistency(Verdict.INCONSISTENT, revision, disagreeing,
        "members disagree on the data at revision " + revision + " (" + hashList + "): "
            + (majority == null ? "no majority" : String.join(", ", disagreeing) + " differ from the majority")
            + "; do not let the operator replace members: compare them with etcdctl and restore the cluster from"
            + " a backup taken before the divergence");
  }
}
