package io.etcdplatform.etcd;

/** An etcd call that failed or did not answer within its deadline. */
public class EtcdUnavailableException extends RuntimeException {

  public EtcdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
