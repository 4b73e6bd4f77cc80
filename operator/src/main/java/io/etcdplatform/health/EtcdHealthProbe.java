package io.etcdplatform.health;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.etcd.ClusterAccess;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.metrics.MemberMetrics;
import io.etcdplatform.metrics.MemberMetricsReader;
import java.util.List;
import java.util.Optional;

/** The health probe of a live cluster: jetcd for alarms and hashes, HTTP for members' /metrics. */
public record EtcdHealthProbe(EtcdConnection etcd, MemberMetricsReader metricsReader, ClusterAccess access)
    implements HealthProbe {

  @Override
  public List<Alarm.Raised> alarms() {
    try {
      return etcd.alarms();
    } catch (EtcdUnavailableException e) {
      return List.of();
    }
  }

  @Override
  public Optional<MemberHash> hashKv(String member, long revision) {
    try {
      return Optional.of(etcd.hashKv(access.clientUrl(member), revision));
    } catch (EtcdUnavailableException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<MemberMetrics> metrics(String member) {
    return metricsReader.read(access, member);
  }
}
