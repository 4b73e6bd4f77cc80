package io.etcdplatform.insight;

import java.time.Instant;

/** A MoveLeader the operator itself asked for (e.g. before defragmenting the leader). */
public record PlannedLeaderMove(String from, String to, Instant at) {}
