package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a pod's status to the API server: phase, IPs, the PodScheduled, Initialized,
 * ContainersReady and Ready conditions, and its containers' statuses. It patches only when more
 * than times changed; a condition keeps its lastTransitionTime while its status is unchanged.
 */
final class PodStatusReporter {

  private static final Logger log = LoggerFactory.getLogger(PodStatusReporter.class);

  private final KubernetesClient client;
  private final Pod pod;
  private final String ip;
  private final RestartPolicy restartPolicy;
  private final List<ContainerRun> initContainers;
  private final List<ContainerRun> containers;
  private PodStatus reported;

  PodStatusReporter(KubernetesClient client, Pod pod, String ip, RestartPolicy restartPolicy,
      List<ContainerRun> initContainers, List<ContainerRun> containers) {
    this.client = client;
    this.pod = pod;
    this.ip = ip;
    this.restartPolicy = restartPolicy;
    this.initContainers = initContainers;
    this.containers = containers;
  }

  /**
   * @param initialized every init container has exited 0
   * @param initFailed an init container failed and is not run again
   */
  void report(Instant now, boolean initialized, boolean initFailed) {
    PodStatus status = status(now, initialized, initFailed);
    if (reported != null && withoutTimes(reported).equals(withoutTimes(status))) {
      return;
    }
    Pod update = new PodBuilder()
        .withNewMetadata().withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withStatus(status)
        .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(update).patchStatus();
      reported = status;
    } catch (KubernetesClientException e) {
      log.warn("{}: status not reported: {}", Cache.metaNamespaceKeyFunc(pod), e.getMessage());
    }
  }

  private PodStatus status(Instant now, boolean initialized, boolean initFailed) {
    boolean allReady = initialized && containers.stream().allMatch(c -> c.probes().ready());
    Instant startedAt = containers.get(0).startedAt();
    return new PodStatusBuilder()
        .withPhase(phase(initialized, initFailed))
        .withPodIP(ip)
        .withPodIPs(new PodIPBuilder().withIp(ip).build())
        .withHostIP("127.0.0.1")
        .withStartTime(timestamp(startedAt == null ? now : startedAt))
        .withConditions(
            condition("PodScheduled", true, now),
            condition("Initialized", initialized, now),
            condition("ContainersReady", allReady, now),
            condition("Ready", allReady, now))
        .withContainerStatuses(containers.stream().map(c -> ContainerStatuses.of(c, restartPolicy)).toList())
        .withInitContainerStatuses(initContainers.stream().map(ContainerStatuses::ofInit).toList())
        .build();
  }

  /** Done (Succeeded or Failed) once no container runs or is to start again. */
  private String phase(boolean initialized, boolean initFailed) {
    if (initFailed) {
      return "Failed";
    }
    boolean done = initialized && containers.stream().noneMatch(ContainerRun::running)
        && containers.stream().noneMatch(restartPolicy::mayStart);
    if (done) {
      return containers.stream().allMatch(ContainerRun::succeeded) ? "Succeeded" : "Failed";
    }
    boolean runningOrRestarting = containers.stream().anyMatch(c -> c.running() || c.restarts() > 0);
    return runningOrRestarting ? "Running" : "Pending";
  }

  private PodCondition condition(String type, boolean value, Instant now) {
    String status = value ? "True" : "False";
    String since = reported == null ? null : reported.getConditions().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
        .map(PodCondition::getLastTransitionTime).findFirst().orElse(null);
    return new PodConditionBuilder().withType(type).withStatus(status)
        .withLastTransitionTime(since != null ? since : timestamp(now)).build();
  }

  private static PodStatus withoutTimes(PodStatus status) {
    PodStatus copy = new PodStatusBuilder(status).withStartTime(null).build();
    copy.getConditions().forEach(c -> c.setLastTransitionTime(null));
    return copy;
  }

  /** The API's time format, to the second. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
