package io.etcdplatform.etcd;

/** One member's HashKV answer: the hash at the revision asked, and the revision it had compacted to. */
public record MemberHash(long hash, long compactRevision) {}
