package io.etcdplatform.insight;

/**
 * The etcd container's restarts in one member pod.
 *
 * @param lastTerminationReason why it last terminated (e.g. OOMKilled, Error), null when it never did
 */
public record PodRestarts(int restartCount, String lastTerminationReason) {}
