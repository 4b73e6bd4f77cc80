package io.etcdplatform.tls;

/** Certificates not issued yet (cert-manager at work): the pass waits, nobody has done anything wrong. */
public final class TlsPendingException extends RuntimeException {

  public TlsPendingException(String message) {
    super(message);
  }
}
