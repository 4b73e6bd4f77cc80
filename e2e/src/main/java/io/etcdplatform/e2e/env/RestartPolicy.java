package io.etcdplatform.e2e.env;

/** A pod's restartPolicy (Always, OnFailure, Never): whether a container starts again once it exited. */
record RestartPolicy(String name) {

  /** A container starts the first time whatever the policy; then as the policy says. */
  boolean mayStart(ContainerRun run) {
    return run.neverStarted() || restartsAfter(run.lastExitCode());
  }

  /** @param exitCode null while the container has not exited */
  boolean restartsAfter(Integer exitCode) {
    return "Always".equals(name) || ("OnFailure".equals(name) && exitCode != null && exitCode != 0);
  }

  /** A failed init container runs again unless the policy is Never. */
  boolean retriesFailedInit() {
    return !"Never".equals(name);
  }
}
