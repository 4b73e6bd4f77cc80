package io.etcdplatform.etcd;

/**
 * A user name and password the operator's clients authenticate with on a cluster with etcd auth
 * (a plaintext one: on TLS the operator's certificate CN is its user). Equal only with the same
 * contents, so a changed Secret rebuilds the cached connection; never printed.
 */
public record EtcdCredential(String user, String password) {

  @Override
  public String toString() {
    return "EtcdCredential[user=" + user + ", password redacted]";
  }
}
