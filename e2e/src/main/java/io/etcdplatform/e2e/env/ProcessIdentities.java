package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pod spec + container -> the process identity, as a kubelet and its container runtime compute
 * it: the container's securityContext wins over the pod's; without runAsUser the image's user
 * (root for every local image); without runAsGroup group 0 (a numeric user unknown to the image's
 * /etc/passwd); supplementalGroups and fsGroup as supplementary groups. runAsNonRoot with an
 * effective user 0 is refused with the kubelet's message.
 */
final class ProcessIdentities {

  /** Every image known here runs as root unless the pod says otherwise. */
  static final long IMAGE_USER = 0;

  private ProcessIdentities() {}

  /** @throws ContainerConfigError what a kubelet reports as CreateContainerConfigError */
  static ProcessIdentity of(Pod pod, Container container) {
    PodSecurityContext podContext = Optional.ofNullable(pod.getSpec().getSecurityContext())
        .orElseGet(PodSecurityContext::new);
    SecurityContext own = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    Long user = pick(own, podContext, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
    Long group = pick(own, podContext, SecurityContext::getRunAsGroup, PodSecurityContext::getRunAsGroup);
    Boolean nonRoot = pick(own, podContext, SecurityContext::getRunAsNonRoot, PodSecurityContext::getRunAsNonRoot);
    long uid = user == null ? IMAGE_USER : user;
    if (Boolean.TRUE.equals(nonRoot) && uid == 0) {
      throw new ContainerConfigError(user == null
          ? "container has runAsNonRoot and image will run as root " + where(pod, container)
          : "container's runAsUser breaks non-root policy " + where(pod, container));
    }
    return new ProcessIdentity(uid, group == null ? 0 : group, groups(podContext));
  }

  private static List<Long> groups(PodSecurityContext podContext) {
    List<Long> groups = new ArrayList<>();
    if (podContext.getFsGroup() != null) {
      groups.add(podContext.getFsGroup());
    }
    if (podContext.getSupplementalGroups() != null) {
      podContext.getSupplementalGroups().stream().filter(Objects::nonNull).filter(g -> !groups.contains(g))
          .forEach(groups::add);
    }
    return groups;
  }

  private static <T> T pick(SecurityContext own, PodSecurityContext pod, Function<SecurityContext, T> ofContainer,
      Function<PodSecurityContext, T> ofPod) {
    T value = ofContainer.apply(own);
    return value != null ? value : ofPod.apply(pod);
  }

  /** As the kubelet's format.Pod names a pod: name_namespace(uid). */
  private static String where(Pod pod, Container container) {
    return "(pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
        + pod.getMetadata().getUid() + ")\", container: " + container.getName() + ")";
  }
}
