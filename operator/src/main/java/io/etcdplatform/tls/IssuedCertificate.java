package io.etcdplatform.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A certificate and its private key, as a Secret holds them ({@code tls.crt}, {@code tls.key}). */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {

  public static IssuedCertificate fromPem(String certificatePem, String keyPem) {
    return new IssuedCertificate(Pem.readCertificates(certificatePem).get(0), Pem.readPrivateKey(keyPem));
  }

  public String certificatePem() {
    return Pem.certificates(List.of(certificate));
  }

  public String keyPem() {
    return Pem.privateKey(key);
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }
}
