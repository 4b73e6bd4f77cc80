package io.etcdplatform.cluster;

import io.etcdplatform.kube.KubernetesMemberAddresses;
import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Member pods whose etcd keeps failing, with what it said last: the termination message (the end
 * of its log, FallbackToLogsOnError), so that a person reads why in {@code kubectl describe}
 * (a data directory it may not write, a removed member's data, a bad flag) and not only in the
 * pod's log. Pure. A container counts while it does not run and its latest run ended with a
 * non-zero exit code: in its state, or, while it waits in back-off, its lastState (one that runs
 * again counts again only if that run fails too: a learner may have failed before it was added).
 */
final class MemberCrashes {

  /** The end of a termination message that is kept: etcd's last log lines are long JSON. */
  static final int MESSAGE_TAIL = 600;
  private static final Pattern SEVERE = Pattern.compile("\"level\":\"(fatal|panic|error)\"");
  private static final Pattern STACKTRACE = Pattern.compile(",\"stacktrace\":\"(?:[^\"\\\\]|\\\\.)*\"");

  private MemberCrashes() {}

  /** The crashing member pod of the lowest ordinal, e.g. "example-1: etcd exited with code 1 (3 restarts): ...". */
  static Optional<String> of(EtcdCluster cluster, Collection<Pod> pods) {
    KubernetesMemberAddresses addresses = KubernetesMemberAddresses.of(cluster);
    return pods.stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> addresses.ordinal(pod.getMetadata().getName()).isPresent())
        .sorted(Comparator.comparingInt(pod -> addresses.ordinal(pod.getMetadata().getName()).getAsInt()))
        .flatMap(pod -> etcdStatus(pod).flatMap(MemberCrashes::failure).stream()
            .map(t -> describe(pod.getMetadata().getName(), etcdStatus(pod).orElseThrow(), t)))
        .findFirst();
  }

  private static String describe(String pod, ContainerStatus status, ContainerStateTerminated terminated) {
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    String said = terminated.getMessage() == null || terminated.getMessage().isBlank() ? ""
        : ": " + tail(terminated.getMessage().strip());
    return pod + ": " + DesiredStatefulSet.CONTAINER + " exited with code " + terminated.getExitCode()
        + " (" + restarts + (restarts == 1 ? " restart" : " restarts") + ")" + said;
  }

  /** The part of a crash that names the member and how it exited, e.g. "example-1: etcd exited with code 1". */
  static String who(String crash) {
    int restarts = crash.indexOf(" (");
    return restarts < 0 ? crash : crash.substring(0, restarts);
  }

  /**
   * What etcd said last that matters: its last fatal or error line (etcd logs JSON, one entry a
   * line, a fatal one with a long stacktrace, dropped here), else its last line; at most
   * {@link #MESSAGE_TAIL} characters, the end kept.
   */
  static String tail(String message) {
    List<String> lines = message.lines().filter(l -> !l.isBlank()).toList();
    String said = lines.stream().filter(l -> SEVERE.matcher(l).find()).reduce((a, b) -> b)
        .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    said = STACKTRACE.matcher(said).replaceAll("");
    return said.length() <= MESSAGE_TAIL ? said : "…" + said.substring(said.length() - MESSAGE_TAIL);
  }

  private static Optional<ContainerStatus> etcdStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> DesiredStatefulSet.CONTAINER.equals(s.getName())).findFirst();
  }

  private static Optional<ContainerStateTerminated> failure(ContainerStatus status) {
    if (status.getState() != null && status.getState().getRunning() != null) {
      return Optional.empty();
    }
    ContainerStateTerminated current = status.getState() == null ? null : status.getState().getTerminated();
    ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
    return Optional.ofNullable(current != null ? current : last)
        .filter(t -> t.getExitCode() != null && t.getExitCode() != 0);
  }
}
