package io.etcdplatform.insight;

import java.util.Map;

/**
 * What the operator knew at its previous pass, read back from the status it wrote.
 *
 * @param name the leader's member name
 * @param id the leader's member ID
 * @param term the raft term then
 * @param restartCounts each member pod's container restart count then, by member name
 */
public record PreviousLeader(String name, long id, long term, Map<String, Integer> restartCounts) {

  public PreviousLeader {
    restartCounts = Map.copyOf(restartCounts);
  }
}
