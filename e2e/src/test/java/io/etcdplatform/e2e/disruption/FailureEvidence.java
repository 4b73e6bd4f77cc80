package io.etcdplatform.e2e.disruption;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints what the Waits' last read of the EtcdCluster does not show: the member
 * pods (ready, Terminating, restarts), the budget's status (how many disruptions it allows, which
 * pods it still counts as disrupted) and the namespace's latest Events.
 */
public final class FailureEvidence implements TestWatcher {

  private final Supplier<KubernetesClient> client;
  private final String namespace;
  private final String budget;
  private final Map<String, String> podLabels;

  public FailureEvidence(Supplier<KubernetesClient> client, String namespace, String budget,
      Map<String, String> podLabels) {
    this.client = client;
    this.namespace = namespace;
    this.budget = budget;
    this.podLabels = podLabels;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    try {
      System.out.println("evidence of the failed " + context.getDisplayName() + ":\n" + collect());
    } catch (RuntimeException e) {
      System.out.println("evidence of the failed " + context.getDisplayName() + " could not be read: " + e);
    }
  }

  private String collect() {
    KubernetesClient kube = client.get();
    StringBuilder out = new StringBuilder();
    for (Pod pod : kube.pods().inNamespace(namespace).withLabels(podLabels).list().getItems()) {
      int restarts = pod.getStatus().getContainerStatuses().stream().mapToInt(ContainerStatus::getRestartCount).sum();
      out.append("  pod ").append(pod.getMetadata().getName()).append(" ip=").append(pod.getStatus().getPodIP())
          .append(" phase=").append(pod.getStatus().getPhase()).append(" ready=").append(Readiness.isPodReady(pod))
          .append(" deleting=").append(pod.getMetadata().getDeletionTimestamp()).append(" restarts=").append(restarts)
          .append(" created=").append(pod.getMetadata().getCreationTimestamp()).append('\n');
    }
    PodDisruptionBudget pdb = kube.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(budget).get();
    if (pdb != null) {
      out.append("  budget minAvailable=").append(pdb.getSpec().getMinAvailable().getIntVal())
          .append(" status=").append(pdb.getStatus()).append('\n');
    }
    out.append(kube.v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(FailureEvidence::lastSeen).reversed()).limit(40)
        .map(e -> "  event " + lastSeen(e) + " " + e.getType() + " " + e.getInvolvedObject().getKind() + "/"
            + e.getInvolvedObject().getName() + " " + e.getReason() + ": " + e.getMessage())
        .collect(Collectors.joining("\n")));
    return out.toString();
  }

  private static String lastSeen(Event event) {
    String last = event.getLastTimestamp() != null ? event.getLastTimestamp() : event.getEventTime() == null
        ? event.getMetadata().getCreationTimestamp() : event.getEventTime().getTime();
    return last == null ? "" : last;
  }
}
