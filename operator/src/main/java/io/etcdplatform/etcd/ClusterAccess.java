package io.etcdplatform.etcd;

import java.util.List;

/**
 * How to reach one cluster's members, built once per pass: their names and URLs, and the client
 * URLs a connection starts from. Everything that talks to the members takes it: the connection
 * cache, the metrics reader, snapshots and the backup Jobs.
 *
 * @param key {@code namespace/name}: one connection per cluster is cached under it
 */
public record ClusterAccess(String key, MemberAddresses addresses, List<String> endpoints) {

  public ClusterAccess {
    endpoints = List.copyOf(endpoints);
  }

  public String clientUrl(String member) {
    return addresses.clientUrl(member);
  }
}
