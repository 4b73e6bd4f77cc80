package io.etcdplatform.etcd;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * How a client proves itself to a cluster's client plane and checks the members' certificates: the
 * authorities it trusts and its own certificate and key, all PEM. The record equals another only
 * with the same contents, so a connection is rebuilt when a Secret changes (jetcd never reloads a
 * client certificate, etcd-io/jetcd#988).
 */
public record ClientTls(String trustedAuthoritiesPem, String certificatePem, String keyPem) {

  public SslContext sslContext() {
    try {
      return GrpcSslContexts.forClient()
          .protocols("TLSv1.3", "TLSv1.2")
          .trustManager(stream(trustedAuthoritiesPem))
          .keyManager(stream(certificatePem), stream(keyPem))
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("unusable client TLS material: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ClientTls[key redacted]";
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
