package io.etcdplatform.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Condition types and the rule that keeps lastTransitionTime unless a status really changes. */
public final class Conditions {

  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String CONSISTENT = "Consistent";
  /** Degraded's reason once fewer healthy voters than a quorum remain (or none answers) after the cluster formed. */
  public static final String QUORUM_LOST = "QuorumLost";

  private Conditions() {}

  public static Condition of(String type, boolean status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /**
   * The desired conditions, each with the lastTransitionTime of its current counterpart when the
   * status is unchanged, else {@code now}. Current conditions of other types are kept.
   */
  public static List<Condition> merge(List<Condition> current, List<Condition> desired, Instant now) {
    List<Condition> merged = new ArrayList<>();
    for (Condition next : desired) {
      Condition previous = find(current, next.getType());
      boolean unchanged = previous != null && Objects.equals(previous.getStatus(), next.getStatus());
      merged.add(new ConditionBuilder(next)
          .withLastTransitionTime(unchanged ? previous.getLastTransitionTime() : Timestamps.of(now))
          .build());
    }
    if (current != null) {
      current.stream().filter(c -> find(desired, c.getType()) == null).forEach(merged::add);
    }
    return merged;
  }

  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** The condition is False with this reason. */
  public static boolean isFalse(List<Condition> conditions, String type, String reason) {
    Condition condition = find(conditions, type);
    return condition != null && "False".equals(condition.getStatus()) && reason.equals(condition.getReason());
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition condition = find(conditions, type);
    return condition != null && "True".equals(condition.getStatus());
  }
}
