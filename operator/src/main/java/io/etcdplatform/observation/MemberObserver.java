package io.etcdplatform.observation;

import io.etcdplatform.etcd.MemberAddresses;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a {@link ClusterObservation}: the member list, then each member's own status. */
public final class MemberObserver {

  private static final Logger log = LoggerFactory.getLogger(MemberObserver.class);

  private MemberObserver() {}

  public static ClusterObservation observe(EtcdConnection etcd, MemberAddresses addresses, List<PodState> pods,
      boolean formedBefore, Instant now) {
    MemberListResponse list;
    try {
      list = etcd.memberList();
    } catch (EtcdUnavailableException e) {
      log.debug("{}: member list unavailable: {}", addresses.cluster(), e.getMessage());
      return new ClusterObservation(formedBefore, 0, List.of(), 0, pods, now);
    }
    Map<String, PodState> podByName = pods.stream().collect(Collectors.toMap(PodState::name, Function.identity()));
    List<EtcdMemberState> members = new ArrayList<>();
    List<Long> leaderVotes = new ArrayList<>();
    for (Member member : list.getMembers()) {
      String name = nameOf(member, addresses);
      OptionalInt ordinal = addresses.ordinal(name);
      if (ordinal.isEmpty()) {
        log.warn("{}: member {} ({}) is not one of this cluster's pods; ignored", addresses.cluster(),
            Long.toHexString(member.getId()), member.getPeerURIs());
        continue;
      }
      StatusResponse status = member.getClientURIs().isEmpty() ? null : status(etcd, addresses.clientUrl(name));
      // a NOSPACE alarm is listed among a member's errors, yet the member is healthy: maintenance recovers it
      boolean healthy = status != null && status.getLeader() != 0
          && status.getErrorList().stream().allMatch(error -> error.contains("NOSPACE"));
      if (healthy) {
        leaderVotes.add(status.getLeader());
      }
      PodState pod = podByName.get(name);
      Instant unhealthySince = healthy ? null
          : pod != null && pod.notReadySince() != null ? pod.notReadySince() : now;
      members.add(new EtcdMemberState(member.getId(), name, ordinal.getAsInt(), !member.getName().isEmpty(),
          member.isLearner(), healthy,
          status == null ? 0 : status.getRaftIndex(), unhealthySince, status == null ? null : new MemberStats(
              status.getVersion(), status.getDbSize(), status.getDbSizeInUse(), status.getHeader().getRevision(),
              status.getRaftTerm(), status.getRaftAppliedIndex())));
    }
    return new ClusterObservation(formedBefore, list.getHeader().getClusterId(), members, mostCommon(leaderVotes),
        pods, now);
  }

  /** A learner that has not started yet has no name in etcd: it is known by its peer URL. */
  private static String nameOf(Member member, MemberAddresses addresses) {
    if (!member.getName().isEmpty()) {
      return member.getName();
    }
    List<String> peerUrls = member.getPeerURIs().stream().map(Objects::toString).toList();
    for (int ordinal = 0; ordinal < 64; ordinal++) {
      if (peerUrls.contains(addresses.peerUrl(addresses.name(ordinal)))) {
        return addresses.name(ordinal);
      }
    }
    return "";
  }

  private static StatusResponse status(EtcdConnection etcd, String clientUrl) {
    try {
      return etcd.status(clientUrl);
    } catch (EtcdUnavailableException e) {
      log.debug("status of {} unavailable: {}", clientUrl, e.getMessage());
      return null;
    }
  }

  private static long mostCommon(Collection<Long> leaders) {
    return leaders.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0L);
  }
}
