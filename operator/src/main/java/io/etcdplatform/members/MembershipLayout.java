package io.etcdplatform.members;

import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.etcd.MemberAddresses;

import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the StatefulSet and the bootstrap data must say, derived from the membership so that a
 * pass interrupted anywhere is completed by the next one: the StatefulSet reaches exactly to the
 * highest member (a member added in etcd gets its pod; a removed highest member loses it), and the
 * bootstrap data lists the current members for the one that joins next.
 *
 * <p>Only a member that has never started may join with this data. Members that have run are
 * listed under a name that is not theirs ({@code <name>.established}): their peer URLs still
 * validate the joining member's view of the cluster, but one of them starting again without its
 * data finds no entry for its own name and refuses to start, instead of silently rejoining with
 * an empty log under its old ID (unsafe for raft). It is then replaced like any failed member.
 *
 * @param initialCluster etcd's {@code --initial-cluster}: {@code name=peerURL,...}
 */
public record MembershipLayout(int replicas, String initialCluster, boolean newCluster) {

  static final String ESTABLISHED = ".established";

  /**
   * Empty when quorum is lost (no member of a cluster that had formed answers, or fewer healthy
   * voters than a quorum do): then no owned object is changed.
   */
  public static Optional<MembershipLayout> of(int desired, ClusterObservation observation, MemberAddresses addresses) {
    int voters = observation.voters().size();
    if (observation.reachable() && observation.healthyVoters() < ClusterObservation.quorum(voters)) {
      return Optional.empty();
    }
    if (!observation.reachable()) {
      if (observation.formedBefore()) {
        return Optional.empty();
      }
      String everyMember = IntStream.range(0, desired).mapToObj(addresses::name)
          .map(name -> entry(name, name, addresses)).collect(Collectors.joining(","));
      return Optional.of(new MembershipLayout(desired, everyMember, true));
    }
    String currentMembers = observation.members().stream()
        .sorted(Comparator.comparingInt(EtcdMemberState::ordinal))
        .map(m -> entry(m.started() ? m.name() + ESTABLISHED : m.name(), m.name(), addresses))
        .collect(Collectors.joining(","));
    return Optional.of(new MembershipLayout(observation.highestOrdinal() + 1, currentMembers, false));
  }

  private static String entry(String listedAs, String member, MemberAddresses addresses) {
    return listedAs + "=" + addresses.peerUrl(member);
  }
}
