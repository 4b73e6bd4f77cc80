package io.etcdplatform.e2e.env;

/** A container a kubelet would not create from its spec: reported as CreateContainerConfigError. */
final class ContainerConfigError extends RuntimeException {

  ContainerConfigError(String message) {
    super(message);
  }
}
