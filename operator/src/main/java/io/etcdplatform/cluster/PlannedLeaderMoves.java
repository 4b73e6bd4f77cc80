package io.etcdplatform.cluster;

import io.etcdplatform.insight.PlannedLeaderMove;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MoveLeader the operator last carried out per cluster (keys namespace/name), kept in memory
 * until the next passes classify the change it causes. Memory, not the status: the move is
 * carried out after the status of its pass was computed from the observation before it, and a
 * restarted operator that lost the record calls the change Unknown with its evidence, not wrong.
 */
final class PlannedLeaderMoves {

  /** A record older than this explains no change any more. */
  static final Duration KEPT_FOR = Duration.ofMinutes(5);

  private final Map<String, PlannedLeaderMove> moves = new ConcurrentHashMap<>();

  void record(String key, String from, String to, Instant at) {
    moves.put(key, new PlannedLeaderMove(from, to, at));
  }

  /** The move recorded for the cluster within {@link #KEPT_FOR} of {@code now}, else null. */
  PlannedLeaderMove of(String key, Instant now) {
    PlannedLeaderMove move = moves.get(key);
    return move == null || move.at().plus(KEPT_FOR).isBefore(now) ? null : move;
  }

  void retainOnly(Set<String> existing) {
    moves.keySet().retainAll(existing);
  }
}
