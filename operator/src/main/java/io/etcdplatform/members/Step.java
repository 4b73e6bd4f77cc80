package io.etcdplatform.members;

/** The one change a pass makes to a cluster's membership, or why it makes none. */
public sealed interface Step {

  /** Why, in words a person reads in an Event or a condition. */
  String reason();

  /** Whether the step takes a voter away from the cluster for a while (one at a time, all healthy first). */
  default boolean disruptive() {
    return false;
  }

  /** Whether the executor acts on the step (else it only reports why nothing is done). */
  default boolean isAction() {
    return false;
  }

  /** No member exists yet: every member starts with initial-cluster-state new. */
  record Bootstrap(int members) implements Step {
    public String reason() {
      return "bootstrapping " + members + " members";
    }
  }

  /** MemberAdd as a learner under this pod name; its pod then starts with state existing. */
  record AddLearner(String name, int ordinal) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "adding " + name + " as a learner";
    }
  }

  record PromoteLearner(String name, long id) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "promoting learner " + name + ", which is in sync";
    }
  }

  record MoveLeader(String from, String to, long toId, String why) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "moving leadership from " + from + " to " + to + " " + why;
    }

    public boolean disruptive() {
      return true;
    }
  }

  /** MemberRemove; its pod goes with the StatefulSet, which never extends past the highest member. */
  record RemoveMember(String name, long id, String why) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "removing " + name + " " + why;
    }

    public boolean disruptive() {
      return true;
    }
  }

  /** A failed member: removed from etcd, its data and pod deleted; it is added back as a learner. */
  record ReplaceMember(String name, long id, String why) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "replacing " + name + " " + why;
    }

    public boolean disruptive() {
      return true;
    }
  }

  /** Delete the pod so the StatefulSet re-creates it from the current template. */
  record RestartMember(String name, String why) implements Step {
    public boolean isAction() {
      return true;
    }

    public String reason() {
      return "restarting " + name + " " + why;
    }

    public boolean disruptive() {
      return true;
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
