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
