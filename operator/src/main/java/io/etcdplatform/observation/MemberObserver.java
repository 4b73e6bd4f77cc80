package io.etcdplatform.observation;

import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberAddresses;
import io.etcdplatform.observation.EtcdMemberState.MemberStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a {@link ClusterObservation}: the member list, then each member's own status. */
public final class MemberObserver {

  private static final Logger log = LoggerFactory.getLogger(MemberObserver.class);

  private MemberObserver() {}

  /**
   * What a pass knows of the members besides etcd: their pods (empty when not known: then only
   * etcd's word counts), and since when each member (by ID) has been unhealthy, as the status
   * recorded it, so that a grace period survives passes and operator restarts.
   */
  public record Known(Optional<List<PodState>> pods, Map<Long, Instant> unhealthySince, Instant now) {

    public static Known pods(List<PodState> pods, Map<Long, Instant> unhealthySince, Instant now) {
      return new Known(Optional.of(pods), unhealthySince, now);
    }

    /** The backup reconciler chooses a member from etcd's answers alone. */
    public static Known etcdOnly(Instant now) {
      return new Known(Optional.empty(), Map.of(), now);
    }

    Optional<PodState> pod(String name) {
      return pods.flatMap(all -> all.stream().filter(p -> p.name().equals(name)).findFirst());
    }

    /** Pods are known and this member has none, or only one that is going away. */
    boolean podMissing(String name) {
      return pods.isPresent() && pod(name).map(PodState::terminating).orElse(true);
    }
  }

  public static ClusterObservation observe(EtcdConnection etcd, MemberAddresses addresses, List<PodState> pods,
      boolean formedBefore, Instant now) {
    return observe(etcd, addresses, Known.pods(pods, Map.of(), now), formedBefore);
  }

  public static ClusterObservation observe(EtcdConnection etcd, MemberAddresses addresses, Known known,
      boolean formedBefore) {
    List<PodState> pods = known.pods().orElse(List.of());
    MemberListResponse list;
    try {
      list = etcd.memberList();
    } catch (EtcdUnavailableException e) {
      log.debug("{}: member list unavailable: {}", addresses.cluster(), e.getMessage());
      return new ClusterObservation(formedBefore, 0, List.of(), 0, pods, known.now());
    }
    Map<Member, String> named = new LinkedHashMap<>();
    for (Member member : list.getMembers()) {
      String name = nameOf(member, addresses);
      if (addresses.ordinal(name).isPresent()) {
        named.put(member, name);
      } else {
        log.warn("{}: member {} ({}) is not one of this cluster's pods; ignored", addresses.cluster(),
            Long.toHexString(member.getId()), member.getPeerURIs());
      }
    }
    Map<String, StatusResponse> statuses = etcd.statuses(named.entrySet().stream()
        .filter(e -> !e.getKey().getClientURIs().isEmpty()).map(e -> addresses.clientUrl(e.getValue())).toList());
    List<EtcdMemberState> members = new ArrayList<>();
    List<Long> leaderVotes = new ArrayList<>();
    for (Map.Entry<Member, String> entry : named.entrySet()) {
      Member member = entry.getKey();
      String name = entry.getValue();
      StatusResponse status = statuses.get(addresses.clientUrl(name));
      EtcdMemberState state = state(member, name, addresses.ordinal(name).getAsInt(), status, known);
      if (state.healthy()) {
        leaderVotes.add(status.getLeader());
      }
      members.add(state);
    }
    return new ClusterObservation(formedBefore, list.getHeader().getClusterId(), members, mostCommon(leaderVotes),
        pods, known.now());
  }

  /**
   * One listed member and the answer its URL gave. Healthy: the member that answered is the one
   * listed (same ID), has a leader, and has a pod that is not going away (when pods are known).
   * Alarms are not health: a member with a NOSPACE or CORRUPT alarm still serves, and the alarms
   * are maintenance's and the Consistent condition's business. An answer from another member (a
   * reused address, a stale DNS entry) is credited to nobody.
   */
  public static EtcdMemberState state(Member member, String name, int ordinal, StatusResponse status, Known known) {
    StatusResponse own = status != null && status.getHeader().getMemberId() == member.getId() ? status : null;
    if (status != null && own == null) {
      log.warn("{}: its URL was answered by member {}, not by the listed {}", name,
          Long.toHexString(status.getHeader().getMemberId()), Long.toHexString(member.getId()));
    }
    boolean healthy = servesAsMember(member.getId(), own) && !known.podMissing(name);
    // etcd lists every initial member by name before it ever ran; a member publishes its client URLs
    // when it first starts: only then is it established
    boolean started = !member.getClientURIs().isEmpty();
    return new EtcdMemberState(member.getId(), name, ordinal, started, member.isLearner(), healthy,
        own == null ? 0 : own.getRaftIndex(), healthy ? null : unhealthySince(member, name, known),
        own == null ? null : new MemberStats(own.getVersion(), own.getDbSize(), own.getDbSizeInUse(),
            own.getHeader().getRevision(), own.getRaftTerm(), own.getRaftAppliedIndex()));
  }

  /** The status was answered by member {@code memberId} itself, and it follows a leader. */
  public static boolean servesAsMember(long memberId, StatusResponse status) {
    return status != null && status.getHeader().getMemberId() == memberId && status.getLeader() != 0;
  }

  /**
   * The earliest of: what the status recorded, when its pod became not ready (a voter's: a learner's
   * pod may have waited long before the learner was added), now.
   */
  private static Instant unhealthySince(Member member, String name, Known known) {
    Optional<Instant> podNotReady = member.isLearner() ? Optional.empty()
        : known.pod(name).map(PodState::notReadySince);
    return Stream.of(Optional.ofNullable(known.unhealthySince().get(member.getId())), podNotReady,
            Optional.of(known.now()))
        .flatMap(Optional::stream).min(Instant::compareTo).orElseThrow();
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

  private static long mostCommon(Collection<Long> leaders) {
    return leaders.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0L);
  }
}
