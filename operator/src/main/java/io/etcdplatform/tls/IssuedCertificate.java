package io.etcdplatform.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
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

  /** Whether {@link #key()} is the private key of the certificate's public key: a signature proves it. */
  public boolean keyMatches() {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
    byte[] challenge = "etcd-platform key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  public Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }
}
