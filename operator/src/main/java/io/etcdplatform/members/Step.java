package io.etcdplatform.members;

/** The one change a pass makes to a cluster's membership, or why it makes none. */
public sealed interface Step {

  /** Why, in words a person reads in an Event or a condition. */
  String reason();

  /** A step the executor carries out. */
  sealed interface Action extends Step {}

  /** An action that takes a voter away for a while: only one at a time, with every other voter healthy. */
  sealed interface Disruptive extends Action {}

  /** No member exists yet: every member starts with initial-cluster-state new. */
  record Bootstrap(int members) implements Step {
    public String reason() {
      return "bootstrapping " + members + " members";
    }
  }

  /** MemberAdd as a learner under this pod name; its pod then starts with state existing. */
  record AddLearner(String name, int ordinal) implements Action {
    public String reason() {
      return "adding " + name + " as a learner";
    }
  }

  record PromoteLearner(String name, long id) implements Action {
    public String reason() {
      return "promoting learner " + name + ", which is in sync";
    }
  }

  record MoveLeader(String from, String to, long toId, String why) implements Disruptive {
    public String reason() {
      return "moving leadership from " + from + " to " + to + " " + why;
    }
  }

  /** MemberRemove; its pod goes with the StatefulSet, which never extends past the highest member. */
  record RemoveMember(String name, long id, String why) implements Disruptive {
    public String reason() {
      return "removing " + name + " " + why;
    }
  }

  /** A failed member: removed from etcd, its data and pod deleted; it is added back as a learner. */
  record ReplaceMember(String name, long id, String why) implements Disruptive {
    public String reason() {
      return "replacing " + name + " " + why;
    }
  }

  /**
   * A failed member whose pod is on a lost Node (no kubelet will ever stop or delete it): removed
   * from etcd first, then its pod force-deleted with its claim, so the StatefulSet re-creates it
   * on another node with fresh data; it is added back as a learner. Removal comes first because
   * its process may still run on a partitioned node: once removed, the cluster refuses it, and a
   * second process under its name cannot join as the old member.
   */
  record ReplaceLostMember(String name, long id, String node, String why) implements Disruptive {
    public String reason() {
      return "replacing " + name + " " + why + ": its node " + node + " is lost (not ready, no kubelet reports)";
    }
  }

  /**
   * A pod with no member on a lost Node (a lost member's replacement cut short after the removal):
   * force-deleted with its claim, before any learner joins under its name, so that the old data
   * never comes back if the node does.
   */
  record DeleteLeftoverPod(String name, String node) implements Action {
    public String reason() {
      return "force-deleting pod " + name + " and its claim: it has no member and its node " + node + " is lost";
    }
  }

  /** Delete the pod so the StatefulSet re-creates it from the current template. */
  record RestartMember(String name, String why) implements Disruptive {
    public String reason() {
      return "restarting " + name + " " + why;
    }
  }

  /** Not at the spec yet, but nothing to do this pass. */
  record Wait(String reason) implements Step {}

  /** Not at the spec, and the operator will not act: a person must. */
  record Blocked(String reason) implements Step {}

  /** Fewer healthy voters than a quorum: no membership change is ever automated. */
  record QuorumLost(String reason) implements Step {}

  record Steady() implements Step {
    public String reason() {
      return "the membership matches the spec";
    }
  }
}
