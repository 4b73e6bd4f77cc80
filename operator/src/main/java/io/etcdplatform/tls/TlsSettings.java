package io.etcdplatform.tls;

import java.time.Duration;

/** One TLS cluster's certificate settings, from its spec.tls. */
public record TlsSettings(
    String cluster,
    String namespace,
    String clusterDomain,
    Duration leafValidity,
    Duration renewBefore,
    Duration authorityValidity) {}
