package io.etcdplatform.tls;

/** Kept TLS material the operator cannot use or replace on its own; the message names it and the fix. */
public final class TlsMaterialException extends RuntimeException {

  public TlsMaterialException(String message) {
    super(message);
  }
}
