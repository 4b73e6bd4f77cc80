package io.etcdplatform.tls;

/**
 * What a leaf certificate may be used for. A member's certificate serves and dials (etcd's gateway
 * and a member's peer connections dial with the server certificate); the operator's identity, the
 * backup Jobs' and every user's only dial, and must never be accepted as a server.
 */
public enum CertificateUsage {
  SERVER_AND_CLIENT,
  CLIENT
}
