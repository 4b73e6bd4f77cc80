package io.etcdplatform.members;

import java.time.Duration;

/**
 * @param failedMemberGrace how long a voter may be unhealthy before it is replaced
 * @param learnerStartTimeout how long a learner's pod may take to become ready before the learner is removed and retried
 * @param maxRaftLag raft entries a member may trail the leader by and still count as caught up
 */
public record PlannerSettings(Duration failedMemberGrace, Duration learnerStartTimeout, long maxRaftLag) {

  public static final PlannerSettings DEFAULTS = new PlannerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), 1000);
}
