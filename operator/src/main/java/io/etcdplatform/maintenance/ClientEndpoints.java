package io.etcdplatform.maintenance;

import java.time.Duration;

/** The client Service's endpoints, as maintenance moves members out of them and back. */
public interface ClientEndpoints {

  /**
   * Takes the member's pod out of the client Service and waits, at most {@code timeout}, until the
   * Service's endpoints no longer list it.
   *
   * @return false when they still listed it at the timeout (it stays held out all the same)
   */
  boolean holdOut(String member, Duration timeout);

  /** Puts the member's pod back into the client Service. */
  void giveBack(String member);

  /** For clusters with no client Service (the real-etcd tests' processes): nothing to move. */
  ClientEndpoints NONE = new ClientEndpoints() {
    public boolean holdOut(String member, Duration timeout) {
      return true;
    }

    public void giveBack(String member) {}
  };
}
