package io.etcdplatform.etcd;

/**
 * What one keys-only scan of a member read: at which revision, how many pages, how many bytes of
 * keys came back, and whether it reached the end of the keyspace.
 */
public record KeyScan(long revision, long pages, long bytesRead, boolean reachedEnd) {}
