package io.etcdplatform.tls;

import java.util.List;

/**
 * The files of a member's TLS Secret, as its keys and as the etcd flags that read them: mutual TLS
 * on both planes, TLS 1.2 at least, and for TLS 1.2 only ECDHE with AES-GCM (TLS 1.3's suites are
 * fixed by Go). etcd re-reads the certificate and key per handshake, so a renewed leaf in the
 * mounted Secret serves without a restart; it never re-reads the trusted CA files (etcd-io/etcd#11555).
 */
public final class MemberTlsFiles {

  public static final String MOUNT_PATH = "/etc/etcd/tls";
  /**
   * On the pod template: the digest of the trust bundles the members' Secret holds. etcd reads them
   * only at start, so a changed bundle must restart every member (one at a time, as for a new version).
   */
  public static final String TRUST_ANNOTATION = "etcdplatform.io/trusted-authorities";
  public static final String SERVER_CERTIFICATE = "server.crt";
  public static final String SERVER_KEY = "server.key";
  public static final String PEER_CERTIFICATE = "peer.crt";
  public static final String PEER_KEY = "peer.key";
  public static final String CLIENT_AUTHORITY = "client-ca.crt";
  public static final String PEER_AUTHORITY = "peer-ca.crt";
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");

  private MemberTlsFiles() {}

  public static List<String> flags() {
    return flags(MOUNT_PATH);
  }

  public static List<String> flags(String directory) {
    return List.of(
        "--cert-file=" + directory + "/" + SERVER_CERTIFICATE,
        "--key-file=" + directory + "/" + SERVER_KEY,
        "--trusted-ca-file=" + directory + "/" + CLIENT_AUTHORITY,
        "--client-cert-auth=true",
        "--peer-cert-file=" + directory + "/" + PEER_CERTIFICATE,
        "--peer-key-file=" + directory + "/" + PEER_KEY,
        "--peer-trusted-ca-file=" + directory + "/" + PEER_AUTHORITY,
        "--peer-client-cert-auth=true",
        "--tls-min-version=TLS1.2",
        "--cipher-suites=" + String.join(",", CIPHER_SUITES));
  }
}
