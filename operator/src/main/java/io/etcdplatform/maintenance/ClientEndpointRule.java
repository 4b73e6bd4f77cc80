package io.etcdplatform.maintenance;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.PodState;
import java.util.List;
import java.util.Optional;

/**
 * Who is in the client Service's endpoints, the one home of that rule. Pure. A member leaves them
 * just before it is defragmented (when another voter can serve meanwhile) and comes back once it is
 * healthy, caught up and its pod Ready again. Giving back is decided from the observation alone, on
 * every pass, so a member an operator held out before it died is given back by the next one; and a
 * pod made before the label existed joins the same way.
 */
public final class ClientEndpointRule {

  private ClientEndpointRule() {}

  /** Members whose pod is out of the client endpoints and may come back now. */
  public static List<String> toGiveBack(ClusterObservation observation, long maxRaftLag) {
    return heldOutMembers(observation).stream()
        .filter(m -> m.healthy() && observation.caughtUp(m, maxRaftLag))
        .filter(m -> observation.pod(m.name()).map(PodState::ready).orElse(false))
        .map(EtcdMemberState::name).toList();
  }

  /** Members whose pod is out of the client endpoints: no other member is defragmented meanwhile. */
  public static List<String> heldOut(ClusterObservation observation) {
    return heldOutMembers(observation).stream().map(EtcdMemberState::name).toList();
  }

  /** A member is held out only when another voter is left to serve the clients. */
  public static boolean holdsOut(ClusterObservation observation) {
    return observation.voters().size() >= 2;
  }

  /** Why clients feel a defragmentation even so, empty when they need not (three voters or more). */
  public static Optional<String> felt(ClusterObservation observation) {
    int voters = observation.voters().size();
    if (voters == 1) {
      return Optional.of("with one member nothing else serves: clients wait while it is defragmented; "
          + "scale to three members to keep defragmentation out of the clients' way");
    }
    if (voters == 2) {
      return Optional.of("with two members a write needs both: writes wait while either is defragmented; "
          + "scale to three members to keep defragmentation out of the clients' way");
    }
    return Optional.empty();
  }

  private static List<EtcdMemberState> heldOutMembers(ClusterObservation observation) {
    return observation.members().stream()
        .filter(m -> observation.pod(m.name()).map(p -> !p.terminating() && !p.inClientEndpoints()).orElse(false))
        .toList();
  }
}
