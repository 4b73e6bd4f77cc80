package io.etcdplatform.etcd;

import java.util.OptionalInt;

/**
 * How a cluster's members are named and reached. Member name = pod name = {@code <cluster>-<ordinal>};
 * the URLs are the stable DNS names in Kubernetes, loopback addresses in the real-etcd tests.
 */
public interface MemberAddresses {

  String cluster();

  String peerUrl(String member);

  String clientUrl(String member);

  /** Where the member serves {@code /metrics}: its client URL unless it has a listener of its own for them. */
  default String metricsUrl(String member) {
    return clientUrl(member);
  }

  default String name(int ordinal) {
    return cluster() + "-" + ordinal;
  }

  /** The ordinal of a member name of this cluster, compared as a number (never as a string). */
  default OptionalInt ordinal(String member) {
    String prefix = cluster() + "-";
    if (member == null || !member.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(member.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
