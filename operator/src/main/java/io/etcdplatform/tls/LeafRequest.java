package io.etcdplatform.tls;

import java.time.Instant;
import java.util.List;

/**
 * A leaf certificate to issue.
 *
 * @param commonName the subject's CN: with etcd's client-cert-auth and auth enabled, the user name
 * @param dnsNames subject alternative names of type DNS (a wildcard such as {@code *.x-peer.ns.svc} allowed)
 * @param ipAddresses subject alternative names of type IP
 */
public record LeafRequest(
    String commonName,
    CertificateUsage usage,
    List<String> dnsNames,
    List<String> ipAddresses,
    Instant notBefore,
    Instant notAfter) {

  public LeafRequest {
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("a certificate's notAfter must follow its notBefore");
    }
  }

  public static LeafRequest client(String commonName, Instant notBefore, Instant notAfter) {
    return new LeafRequest(commonName, CertificateUsage.CLIENT, List.of(), List.of(), notBefore, notAfter);
  }
}
