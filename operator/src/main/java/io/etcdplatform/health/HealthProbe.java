package io.etcdplatform.health;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.metrics.MemberMetrics;
import java.util.List;
import java.util.Optional;

/** What the health observer asks of a cluster beyond the membership observation; recorded answers in tests. */
public interface HealthProbe {

  /** The active alarms; empty when no member answered. */
  List<Alarm.Raised> alarms();

  /** The member's KV hash at {@code revision}; empty when it did not answer. */
  Optional<MemberHash> hashKv(String member, long revision);

  /** The member's own /metrics; empty when they could not be read. */
  Optional<MemberMetrics> metrics(String member);
}
