package io.etcdplatform.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Trust bundles: what they hold, compared by certificate, and a digest of them that is the same in any order. */
public final class Trust {

  private Trust() {}

  /** The SHA-256 of the certificate's DER, in hex. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean contains(List<X509Certificate> bundle, X509Certificate certificate) {
    String wanted = fingerprint(certificate);
    return bundle.stream().anyMatch(c -> fingerprint(c).equals(wanted));
  }

  /** The certificates of a PEM bundle; none when the text is null or holds no certificate. */
  public static List<X509Certificate> of(String pem) {
    if (pem == null || pem.isBlank()) {
      return List.of();
    }
    try {
      return Pem.readCertificates(pem);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  /** A short digest of the bundles' certificates, whatever their order: a pod started with it trusts exactly them. */
  public static String digest(Collection<X509Certificate> certificates) {
    String joined = certificates.stream().map(Trust::fingerprint).distinct().sorted().collect(Collectors.joining(","));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.US_ASCII)))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
