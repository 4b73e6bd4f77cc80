package io.etcdplatform.testing;

import io.etcdplatform.etcd.EtcdConnection;
import io.etcdplatform.etcd.EtcdConnections;
import io.etcdplatform.etcd.MemberChanges;
import io.etcdplatform.members.MemberPods;
import io.etcdplatform.members.MembershipCycle;
import io.etcdplatform.members.MembershipLayout;
import io.etcdplatform.members.Planner;
import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.members.Step;
import io.etcdplatform.observation.ClusterObservation;
import io.etcdplatform.observation.EtcdMemberState;
import io.etcdplatform.observation.MemberObserver;
import io.etcdplatform.observation.PodState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The operator's membership pass over an {@link EtcdProcessCluster}, in the reconciler's order and
 * through its {@link MembershipCycle}: observe, plan, act, lay out the pods; a pass every 300 ms
 * until the planner is steady and every pod ready.
 */
public final class MembershipDriver implements AutoCloseable {

  private static final Duration PASS = Duration.ofMillis(300);

  private final EtcdProcessCluster cluster;
  private final MemberPods pods;
  private final UnaryOperator<MemberChanges> etcdChanges;
  private final MembershipCycle cycle;
  private final EtcdConnections connections = new EtcdConnections(Duration.ofSeconds(2));
  private final List<Step> history = new ArrayList<>();
  /** What the status would carry from pass to pass: since when each member has been unhealthy. */
  private Map<Long, Instant> unhealthySince = Map.of();
  private boolean formed;

  public MembershipDriver(EtcdProcessCluster cluster, PlannerSettings settings) {
    this(cluster, settings, cluster);
  }

  /** @param pods how the steps reach the member processes: the cluster itself, or a faulty stand-in */
  public MembershipDriver(EtcdProcessCluster cluster, PlannerSettings settings, MemberPods pods) {
    this(cluster, settings, pods, UnaryOperator.identity());
  }

  /** @param etcdChanges how the steps' membership changes reach etcd: the connection, or a faulty view of it */
  public MembershipDriver(EtcdProcessCluster cluster, PlannerSettings settings, MemberPods pods,
      UnaryOperator<MemberChanges> etcdChanges) {
    this.cluster = cluster;
    this.pods = pods;
    this.etcdChanges = etcdChanges;
    this.cycle = new MembershipCycle(new Planner(settings));
  }

  /**
   * Drives the cluster to {@code desired} members and returns the steps taken, each once (a step
   * etcd refused is planned again). Fails on a lost quorum, a blocked plan or the timeout.
   */
  public List<Step> converge(int desired, Duration timeout) {
    List<Step> steps = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      ClusterObservation observation = observe();
      Step step = cycle.plan(desired, observation, cluster);
      formed |= observation.reachable();
      if (step instanceof Step.QuorumLost || step instanceof Step.Blocked) {
        throw new AssertionError(step + " after " + steps);
      }
      if (step instanceof Step.Action && !steps.contains(step)) {
        steps.add(step);
        history.add(step);
      }
      actOrDie(step, observation);
      // applied in every pass, a steady one too, as the reconciler applies its owned objects
      MembershipLayout.of(desired, observation, cluster).ifPresent(cluster::sync);
      if (step instanceof Step.Steady && cluster.podStates().stream().allMatch(PodState::ready)) {
        return steps;
      }
      sleep(PASS);
    }
    throw new AssertionError("not converged to " + desired + " members within " + timeout + ": " + steps);
  }

  /** Every step taken so far, across calls, including those of a call that failed. */
  public List<Step> history() {
    return List.copyOf(history);
  }

  public ClusterObservation observe() {
    ClusterObservation observation = MemberObserver.observe(connection(), cluster,
        MemberObserver.Known.pods(cluster.podStates(), unhealthySince, Instant.now()), formed);
    unhealthySince = observation.members().stream().filter(m -> m.unhealthySince() != null)
        .collect(Collectors.toMap(EtcdMemberState::id, EtcdMemberState::unhealthySince));
    return observation;
  }

  /**
   * A refusal is planned again next pass; any other failure of a step (a fault the test injected)
   * ends the pass there, as a killed operator's would: the next pass observes and plans again.
   */
  private void actOrDie(Step step, ClusterObservation observation) {
    try {
      cycle.act(step, observation, etcdChanges.apply(connection()), cluster, pods);
    } catch (RuntimeException e) {
      history.add(new Step.Wait("pass cut short after " + step.reason() + ": " + e.getMessage()));
    }
  }

  public EtcdConnection connection() {
    return connections.forCluster(cluster.access());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    connections.close();
  }
}
