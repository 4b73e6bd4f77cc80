package io.etcdplatform.health;

import io.etcdplatform.metrics.MemberMetricsReader;
import io.etcdplatform.metrics.MemberMetrics;

import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.etcd.MemberAddresses;
import java.util.List;
import java.util.Optional;

/** The health probe of a live cluster: jetcd for alarms and hashes, HTTP for members' /metrics. */
public record EtcdHealthProbe(EtcdConnection etcd, MemberMetricsReader metricsReader, MemberAddresses addresses)
    implements HealthProbe {

  @Override
  public List<RawAlarm> alarms() {
    try {
      return etcd.alarms().stream()
          .map(a -> new RawAlarm(a.getMemberId(), a.getAlarmType().name())).toList();
    } catch (EtcdUnavailableException e) {
      return List.of();
    }
  }

  @Override
  public Optional<MemberHash> hashKv(String member, long revision) {
    try {
      return Optional.of(etcd.hashKv(addresses.clientUrl(member), revision));
    } catch (EtcdUnavailableException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<MemberMetrics> metrics(String member) {
    return metricsReader.read(addresses.clientUrl(member));
  }
}
