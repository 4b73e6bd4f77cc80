package io.etcdplatform.tls;

import io.etcdplatform.kube.ClusterNames;
import java.util.List;

/**
 * The names a cluster's members are reached by, for the subject alternative names of the one server
 * certificate a plane's members share: every member under the peer Service (a wildcard, so a member
 * added later needs no new certificate), the client Service, each with and without the cluster
 * domain, and loopback for the probes and etcd's own gateway.
 */
public final class ServingNames {

  private static final String LOOPBACK_NAME = "localhost";
  private static final List<String> LOOPBACK_ADDRESSES = List.of("127.0.0.1", "::1");

  private ServingNames() {}

  public static List<String> dnsNames(String cluster, String namespace, String clusterDomain) {
    String peers = ClusterNames.peerServiceHost(cluster, namespace);
    String client = ClusterNames.clientService(cluster);
    String clientHost = ClusterNames.clientServiceHost(cluster, namespace);
    return List.of(
        "*." + peers, "*." + peers + "." + clusterDomain,
        client, client + "." + namespace, clientHost, clientHost + "." + clusterDomain,
        LOOPBACK_NAME);
  }

  public static List<String> ipAddresses() {
    return LOOPBACK_ADDRESSES;
  }
}
