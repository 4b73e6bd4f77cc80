package io.etcdplatform.testing;

import io.etcdplatform.etcd.EtcdUnavailableException;
import io.etcdplatform.etcd.MemberChanges;
import io.etcdplatform.members.MemberPods;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Failure between two sub-steps, for every membership action: each distinct call (an etcd change or
 * a pod operation, by kind and target) takes effect the first time and then fails for the caller,
 * as when its answer is lost to a deadline (etcd: the pass waits and plans again) or the operator
 * is killed right after (pods: the pass ends there); asked again, it passes through. What failed is
 * recorded.
 */
public final class AnswersLost implements MemberPods {

  private final MemberPods pods;
  private final Set<String> failedOnce = new HashSet<>();
  private final List<String> faults = new ArrayList<>();

  public AnswersLost(MemberPods pods) {
    this.pods = pods;
  }

  /** The calls whose answer was lost, e.g. {@code "addLearner http://127.0.0.53:2380"}, in order. */
  public synchronized List<String> faults() {
    return List.copyOf(faults);
  }

  /** The kinds of call that lost an answer, e.g. {@code "promote"}. */
  public synchronized Set<String> faultedKinds() {
    Set<String> kinds = new HashSet<>();
    faults.forEach(f -> kinds.add(f.substring(0, f.indexOf(' '))));
    return kinds;
  }

  /** {@code etcd}'s membership changes, losing their first answers into this record. */
  public MemberChanges around(MemberChanges etcd) {
    return new MemberChanges() {
      @Override
      public long addLearner(String peerUrl) {
        return AnswersLost.this.lost("addLearner " + peerUrl, () -> etcd.addLearner(peerUrl), AnswersLost::deadline);
      }

      @Override
      public void promote(long memberId) {
        lost("promote " + Long.toHexString(memberId), () -> etcd.promote(memberId));
      }

      @Override
      public void moveLeader(String leaderClientUrl, long toMemberId) {
        lost("moveLeader " + Long.toHexString(toMemberId), () -> etcd.moveLeader(leaderClientUrl, toMemberId));
      }

      @Override
      public void remove(long memberId) {
        lost("remove " + Long.toHexString(memberId), () -> etcd.remove(memberId));
      }

      private void lost(String call, Runnable change) {
        AnswersLost.this.lost(call, () -> {
          change.run();
          return null;
        }, AnswersLost::deadline);
      }
    };
  }

  @Override
  public void restart(String member) {
    killed("restart " + member, () -> pods.restart(member));
  }

  @Override
  public void restartOnlyMember(String member) {
    killed("restartOnlyMember " + member, () -> pods.restartOnlyMember(member));
  }

  @Override
  public void deleteWithData(String member) {
    killed("deleteWithData " + member, () -> pods.deleteWithData(member));
  }

  @Override
  public void forceDeleteWithData(String member) {
    killed("forceDeleteWithData " + member, () -> pods.forceDeleteWithData(member));
  }

  private void killed(String call, Runnable operation) {
    lost(call, () -> {
      operation.run();
      return null;
    }, c -> new IllegalStateException("the operator was killed right after " + c));
  }

  private static RuntimeException deadline(String call) {
    return new EtcdUnavailableException(call + ": no answer within the deadline (it took effect)", null);
  }

  private <T> T lost(String call, Supplier<T> request, Function<String, RuntimeException> failure) {
    T answer = request.get();
    synchronized (this) {
      if (failedOnce.add(call)) {
        faults.add(call);
        throw failure.apply(call);
      }
    }
    return answer;
  }
}
