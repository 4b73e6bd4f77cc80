package io.etcdplatform.maintenance;

import io.etcdplatform.etcd.Alarm;
import io.etcdplatform.kube.Timestamps;
import io.etcdplatform.api.v1alpha1.CompactionSpec;
import io.etcdplatform.api.v1alpha1.DefragmentationSpec;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Checkpoint;
import io.etcdplatform.api.v1alpha1.MaintenanceStatus.Round;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.maintenance.MaintenanceStep.Compact;
import io.etcdplatform.maintenance.MaintenanceStep.Defragment;
import io.etcdplatform.maintenance.MaintenanceStep.DisarmNoSpace;
import io.etcdplatform.maintenance.MaintenanceStep.Idle;
import io.etcdplatform.maintenance.MaintenanceStep.MoveLeader;
import io.etcdplatform.maintenance.MaintenanceStep.Waiting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides the one maintenance step of a pass, and the maintenance status to keep. Pure. In order:
 * a CORRUPT alarm stops all maintenance; a NOSPACE alarm is recovered (compact to the current
 * revision, defragment every member, disarm); an on-demand round defragments every member;
 * compaction when its interval is due; members that meet the defragmentation rule. A member is
 * defragmented only while every member is healthy, caught up and in the client endpoints, one at a
 * time, followers first and the leader last; the leader is never defragmented while it leads:
 * leadership moves to a caught-up follower first, and the former leader is defragmented as a
 * follower in a later pass.
 */
public final class MaintenancePlanner {

  /** Below this much to reclaim a defragmentation is not worth blocking a member for. */
  public static final long MIN_WORTHWHILE_BYTES = 16L * 1024 * 1024;
  static final String ROUND_NOSPACE = "NoSpace";
  static final String ROUND_REQUESTED = "Requested";

  private final long maxRaftLag;

  public MaintenancePlanner(long maxRaftLag) {
    this.maxRaftLag = maxRaftLag;
  }

  /**
   * What the planner decides on. {@code request} is the etcdplatform.io/defragment annotation (null
   * when absent); {@code otherDisruption} why another disruptive activity (a snapshot being taken)
   * holds defragmentation back, empty when none.
   */
  public record Input(CompactionSpec compaction, DefragmentationSpec defragmentation, boolean etcdCompactsItself,
      long quotaBytes, ClusterObservation observation, List<Alarm> alarms, MaintenanceStatus status, String request,
      Instant now, Optional<String> otherDisruption) {}

  public record Plan(MaintenanceStep step, MaintenanceStatus status) {}

  public Plan next(Input in) {
    MaintenanceStatus status = copy(in.status());
    status.setAlarms(in.alarms().isEmpty() ? null
        : in.alarms().stream().map(Alarm::toString).sorted().toList());
    status.setQuotaUsagePercent(quotaUsagePercent(in));
    Optional<EtcdMemberState> leader = in.observation().leader();
    if (leader.isEmpty() || leader.get().stats() == null) {
      return new Plan(new Idle("no leader: no maintenance"), status);
    }
    long revision = leader.get().stats().revision();

    List<String> corrupt = membersWith(in, Alarm.Kind.CORRUPT);
    if (!corrupt.isEmpty()) {
      return new Plan(new Waiting("CORRUPT alarm on " + String.join(", ", corrupt)
          + ": no maintenance until a person has checked the data (docs/alerts.md); it is never disarmed automatically"),
          status);
    }
    if (!membersWith(in, Alarm.Kind.NOSPACE).isEmpty()) {
      return recoverFromNoSpace(in, status, revision);
    }
    if (status.getRound() == null && in.request() != null && !in.request().equals(status.getDefragmentationRequest())) {
      status.setRound(new Round(ROUND_REQUESTED, Timestamps.of(in.now())));
    }
    if (status.getRound() != null && ROUND_REQUESTED.equals(status.getRound().getReason())) {
      Optional<EtcdMemberState> next = nextInRound(in, status);
      if (next.isPresent()) {
        return defragment(in, status, next.get(), "requested by the etcdplatform.io/defragment annotation");
      }
      status.setRound(null);
      status.setDefragmentationRequest(in.request());
    }
    Optional<MaintenanceStep> compaction = compaction(in, status, revision);
    if (compaction.isPresent()) {
      return new Plan(compaction.get(), status);
    }
    return new Plan(ruleDrivenDefragmentation(in, status), status);
  }

  private Plan recoverFromNoSpace(Input in, MaintenanceStatus status, long revision) {
    if (status.getRound() == null || !ROUND_NOSPACE.equals(status.getRound().getReason())) {
      status.setRound(new Round(ROUND_NOSPACE, Timestamps.of(in.now())));
    }
    long compacted = status.getLastCompaction() == null ? 0 : status.getLastCompaction().getRevision();
    if (compacted < revision && !compactedSince(status, status.getRound())) {
      return new Plan(new Compact(revision, "NOSPACE: compacting the whole history up to revision " + revision
          + " before defragmenting"), status);
    }
    Optional<EtcdMemberState> next = nextInRound(in, status);
    if (next.isPresent()) {
      return defragment(in, status, next.get(), "NOSPACE: reclaiming space on every member");
    }
    status.setRound(null);
    return new Plan(new DisarmNoSpace(membersWith(in, Alarm.Kind.NOSPACE),
        "NOSPACE: every member compacted and defragmented; disarming the alarm"),
        status);
  }

  private Plan defragment(Input in, MaintenanceStatus status, EtcdMemberState member, String why) {
    Optional<String> unsafe = unsafeToDefragment(in);
    if (unsafe.isPresent()) {
      return new Plan(new Waiting(why + "; " + member.name() + " waits: " + unsafe.get()), status);
    }
    return new Plan(defragmentOrMoveLeader(in.observation(), member, why), status);
  }

  /** The member is defragmented, unless it leads and another voter can: then leadership moves first. */
  private MaintenanceStep defragmentOrMoveLeader(ClusterObservation observation, EtcdMemberState member, String why) {
    if (member.id() != observation.leaderId() || observation.voters().size() < 2) {
      return new Defragment(member.name(), member.stats().dbSize(), why, ClientEndpointRule.holdsOut(observation));
    }
    return observation.voters().stream()
        .filter(m -> m.id() != member.id() && m.healthy() && observation.caughtUp(m, maxRaftLag))
        .sorted(Comparator.comparingLong(EtcdMemberState::raftIndex).reversed()
            .thenComparingInt(EtcdMemberState::ordinal))
        .findFirst()
        .<MaintenanceStep>map(to -> new MoveLeader(member.name(), to.name(), to.id(), why + "; " + member.name()
            + " leads: leadership moves to " + to.name() + " before it is defragmented"))
        .orElseGet(() -> new Waiting(why + "; " + member.name() + " leads and no caught-up follower can take over"));
  }

  /** The next member of the round not defragmented since it began: followers (highest ordinal first), the leader last. */
  private Optional<EtcdMemberState> nextInRound(Input in, MaintenanceStatus status) {
    Instant since = Instant.parse(status.getRound().getStartedAt());
    return inSafeOrder(in.observation()).stream()
        .filter(m -> lastDefragmentation(status, m.name()).map(t -> t.isBefore(since)).orElse(true))
        .findFirst();
  }

  private MaintenanceStep ruleDrivenDefragmentation(Input in, MaintenanceStatus status) {
    DefragmentationSpec spec = in.defragmentation();
    if (!Boolean.TRUE.equals(spec.getEnabled())) {
      return new Idle("nothing due (rule-driven defragmentation is off)");
    }
    List<EtcdMemberState> candidates = inSafeOrder(in.observation()).stream()
        .filter(m -> needsDefragmentation(m, spec, in.quotaBytes())).toList();
    if (candidates.isEmpty()) {
      return new Idle("nothing due");
    }
    EtcdMemberState member = candidates.get(0);
    String why = describe(member, in.quotaBytes());
    if (spec.getSchedule() != null && !spec.getSchedule().isBlank()
        && !MaintenanceWindow.of(spec.getSchedule(), Duration.ofMinutes(spec.getWindowMinutes())).isOpen(in.now())) {
      return new Waiting(member.name() + " needs defragmenting (" + why + "); waiting for the window \""
          + spec.getSchedule() + "\"");
    }
    Optional<String> unsafe = unsafeToDefragment(in);
    return unsafe.<MaintenanceStep>map(u -> new Waiting(member.name() + " needs defragmenting (" + why + "); waits: " + u))
        .orElseGet(() -> defragmentOrMoveLeader(in.observation(), member, why));
  }

  /** The rule: enough to reclaim, and a high free share, or much to reclaim, or close to the quota. */
  public static boolean needsDefragmentation(EtcdMemberState member, DefragmentationSpec spec, long quotaBytes) {
    if (member.stats() == null || member.stats().dbSize() <= 0) {
      return false;
    }
    long size = member.stats().dbSize();
    long reclaimable = size - member.stats().dbSizeInUse();
    if (reclaimable < MIN_WORTHWHILE_BYTES) {
      return false;
    }
    return reclaimable * 100 >= (long) spec.getFragmentationPercent() * size
        || reclaimable >= spec.getMinReclaimableBytes()
        || (quotaBytes > 0 && size * 100 >= (long) spec.getQuotaUsagePercent() * quotaBytes);
  }

  private static String describe(EtcdMemberState member, long quotaBytes) {
    long size = member.stats().dbSize();
    long reclaimable = size - member.stats().dbSizeInUse();
    return String.format("%d MiB of %d MiB free (%d%%)%s", reclaimable >> 20, size >> 20, reclaimable * 100 / size,
        quotaBytes > 0 ? String.format(", %d%% of the quota", size * 100 / quotaBytes) : "");
  }

  /**
   * No other disruptive activity, no member out of the client endpoints (the last one defragmented
   * comes back first), and every member healthy under one leader, each within maxRaftLag of the
   * leader's raft index.
   */
  private Optional<String> unsafeToDefragment(Input in) {
    if (in.otherDisruption().isPresent()) {
      return in.otherDisruption();
    }
    ClusterObservation observation = in.observation();
    List<String> heldOut = ClientEndpointRule.heldOut(observation);
    if (!heldOut.isEmpty()) {
      return Optional.of(String.join(", ", heldOut) + " is not yet back in the client endpoints");
    }
    for (EtcdMemberState member : observation.members()) {
      if (member.learner()) {
        return Optional.of("learner " + member.name() + " is joining");
      }
      if (member.stats() == null || !member.healthy()) {
        return Optional.of(member.name() + " is not healthy");
      }
    }
    return observation.firstNotCaughtUp(observation.members(), maxRaftLag)
        .map(m -> m.name() + " is " + observation.lagBehindLeader(m).orElseThrow() + " raft entries behind the leader");
  }

  private static List<EtcdMemberState> inSafeOrder(ClusterObservation observation) {
    return observation.members().stream()
        .sorted(Comparator.comparing((EtcdMemberState m) -> m.id() == observation.leaderId())
            .thenComparing(Comparator.comparingInt(EtcdMemberState::ordinal).reversed()))
        .toList();
  }

  /**
   * Compaction at its interval: a revision checkpoint is taken each time, and the history older
   * than the retention (by revisions, or the newest checkpoint older than the time window) is compacted.
   */
  private static Optional<MaintenanceStep> compaction(Input in, MaintenanceStatus status, long revision) {
    CompactionSpec spec = in.compaction();
    if (!Boolean.TRUE.equals(spec.getEnabled()) || in.etcdCompactsItself()) {
      return Optional.empty();
    }
    Duration interval = Duration.ofMinutes(spec.getIntervalMinutes());
    List<Checkpoint> checkpoints = status.getRevisionCheckpoints() == null ? new ArrayList<>()
        : new ArrayList<>(status.getRevisionCheckpoints());
    Instant lastCheckpoint = checkpoints.isEmpty() ? Instant.MIN
        : Instant.parse(checkpoints.get(checkpoints.size() - 1).getTime());
    if (in.now().isBefore(lastCheckpoint.plus(interval))) {
      return Optional.empty();
    }
    checkpoints.add(new Checkpoint(Timestamps.of(in.now()), revision));
    long compacted = status.getLastCompaction() == null ? 0 : status.getLastCompaction().getRevision();
    long target;
    if (spec.getRetainRevisions() != null && spec.getRetainRevisions() > 0) {
      target = revision - spec.getRetainRevisions();
    } else {
      Instant horizon = in.now().minus(Duration.ofMinutes(spec.getRetainMinutes()));
      target = checkpoints.stream().filter(c -> !Instant.parse(c.getTime()).isAfter(horizon))
          .mapToLong(Checkpoint::getRevision).max().orElse(0);
      // keep the newest checkpoint at or before the horizon, and all after it
      checkpoints.removeIf(c -> Instant.parse(c.getTime()).isBefore(horizon) && c.getRevision() < target);
    }
    status.setRevisionCheckpoints(checkpoints.subList(Math.max(0, checkpoints.size() - 200), checkpoints.size()));
    if (target <= compacted) {
      return Optional.empty();
    }
    return Optional.of(new Compact(target, "history older than "
        + (spec.getRetainRevisions() != null && spec.getRetainRevisions() > 0
            ? spec.getRetainRevisions() + " revisions" : spec.getRetainMinutes() + " minutes")
        + ": compacting to revision " + target));
  }

  private static boolean compactedSince(MaintenanceStatus status, Round round) {
    return status.getLastCompaction() != null && status.getLastCompaction().getTime() != null
        && !Instant.parse(status.getLastCompaction().getTime()).isBefore(Instant.parse(round.getStartedAt()));
  }

  private static Optional<Instant> lastDefragmentation(MaintenanceStatus status, String member) {
    return status.getDefragmentations() == null ? Optional.empty()
        : status.getDefragmentations().stream().filter(d -> member.equals(d.getMember()))
            .map(d -> Instant.parse(d.getTime())).findFirst();
  }

  private static List<String> membersWith(Input in, Alarm.Kind kind) {
    return in.alarms().stream().filter(a -> a.kind() == kind).map(Alarm::member).sorted().toList();
  }

  private static Integer quotaUsagePercent(Input in) {
    if (in.quotaBytes() <= 0) {
      return null;
    }
    return in.observation().members().stream().filter(m -> m.stats() != null)
        .mapToLong(m -> m.stats().dbSize() * 100 / in.quotaBytes()).mapToInt(v -> (int) v).boxed()
        .max(Comparator.naturalOrder()).orElse(null);
  }

  private static MaintenanceStatus copy(MaintenanceStatus current) {
    MaintenanceStatus copy = new MaintenanceStatus();
    if (current != null) {
      copy.setLastCompaction(current.getLastCompaction());
      copy.setRevisionCheckpoints(current.getRevisionCheckpoints());
      copy.setDefragmentations(current.getDefragmentations());
      copy.setRound(current.getRound());
      copy.setDefragmentationRequest(current.getDefragmentationRequest());
    }
    return copy;
  }
}
