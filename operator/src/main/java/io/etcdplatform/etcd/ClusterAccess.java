package io.etcdplatform.etcd;

import java.util.List;
import java.util.Optional;

/**
 * How to reach one cluster's members, built once per pass: their names and URLs, the client URLs a
 * connection starts from, the operator's TLS identity on the client plane when it has TLS, and its
 * etcd user and password on a plaintext cluster whose auth the operator enabled.
 * Everything that talks to the members takes it: the connection cache, the metrics reader,
 * snapshots and the backup Jobs.
 *
 * @param key {@code namespace/name}: one connection per cluster is cached under it
 */
public record ClusterAccess(String key, MemberAddresses addresses, List<String> endpoints, Optional<ClientTls> tls,
    Optional<EtcdCredential> credential) {

  public ClusterAccess {
    endpoints = List.copyOf(endpoints);
  }

  /** Without a password: plaintext without auth, or TLS (where the certificate's CN is the user). */
  public ClusterAccess(String key, MemberAddresses addresses, List<String> endpoints, Optional<ClientTls> tls) {
    this(key, addresses, endpoints, tls, Optional.empty());
  }

  /** A plaintext cluster's access. */
  public ClusterAccess(String key, MemberAddresses addresses, List<String> endpoints) {
    this(key, addresses, endpoints, Optional.empty());
  }

  public String clientUrl(String member) {
    return addresses.clientUrl(member);
  }

  public String metricsUrl(String member) {
    return addresses.metricsUrl(member);
  }
}
