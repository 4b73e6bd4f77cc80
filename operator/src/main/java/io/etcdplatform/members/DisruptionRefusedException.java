package io.etcdplatform.members;

/** The disruption budget allowed no disruption now (another member is being disrupted, say a drain's). */
public class DisruptionRefusedException extends RuntimeException {

  public DisruptionRefusedException(String message) {
    super(message);
  }
}
