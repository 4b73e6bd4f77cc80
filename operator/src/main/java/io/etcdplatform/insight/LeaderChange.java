package io.etcdplatform.insight;

import java.time.Instant;
import java.util.List;

/**
 * One leader change the operator observed between two passes.
 *
 * @param from the leader at the previous pass (member name), null when it was not known
 * @param to the leader now
 * @param term the raft term now
 * @param evidence short, human-readable facts that led to the cause
 */
public record LeaderChange(Instant time, String from, String to, long term, LeaderChangeCause cause,
    List<String> evidence) {

  public LeaderChange {
    evidence = List.copyOf(evidence);
  }
}
