package io.etcdplatform.insight;

/**
 * One prefix of the keyspace and what it holds. For Kubernetes keys, resource and namespace are
 * set (namespace null for a cluster-scoped resource); for other keys both are null.
 */
public record KeyspacePrefix(String prefix, String resource, String namespace, long keys, long bytes) {}
