package io.etcdplatform.tls;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: the client certificate of one etcd user (CN = the user's name: with etcd's client-cert-auth
 * and auth on, the CN is the user), signed by the cluster's client-plane authority, as a Secret
 * holds it with the authority ({@code ca.crt}, {@code tls.crt}, {@code tls.key}). A kept certificate
 * is reused while the current authority signed it, its CN is the user and it is not about to expire.
 */
public final class UserCertificates {

  public static final String AUTHORITY = "ca.crt";
  public static final String CERTIFICATE = "tls.crt";
  public static final String KEY = "tls.key";
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private UserCertificates() {}

  /**
   * @param authorities the data of the cluster's authorities Secret ({@code <cluster>-tls-ca})
   * @param current what the user's Secret holds now
   * @return empty when the authorities Secret does not hold the client authority yet
   */
  public static Optional<Map<String, String>> of(Map<String, String> authorities, Map<String, String> current,
      String user, Duration validity, Duration renewBefore, Instant now) {
    String authorityPem = authorities.get(ClusterCertificates.CLIENT_AUTHORITY);
    String authorityKey = authorities.get(ClusterCertificates.CLIENT_AUTHORITY_KEY);
    if (authorityPem == null || authorityKey == null) {
      return Optional.empty();
    }
    CertificateAuthority authority = CertificateAuthority.of(IssuedCertificate.fromPem(authorityPem, authorityKey));
    String certificate = current.get(CERTIFICATE);
    String key = current.get(KEY);
    if (certificate != null && key != null && serves(certificate, key, authority, user, renewBefore, now)) {
      return Optional.of(Map.of(AUTHORITY, authorityPem, CERTIFICATE, certificate, KEY, key));
    }
    IssuedCertificate issued = authority.issue(LeafRequest.client(user, now.minus(BACKDATE), now.plus(validity)));
    return Optional.of(Map.of(AUTHORITY, authorityPem, CERTIFICATE, issued.certificatePem(), KEY, issued.keyPem()));
  }

  private static boolean serves(String certificatePem, String keyPem, CertificateAuthority authority, String user,
      Duration renewBefore, Instant now) {
    try {
      IssuedCertificate kept = IssuedCertificate.fromPem(certificatePem, keyPem);
      kept.certificate().verify(authority.certificate().certificate().getPublicKey());
      return kept.certificate().getSubjectX500Principal().getName().equals("CN=" + user)
          && kept.notAfter().minus(renewBefore).isAfter(now) && !kept.notBefore().isAfter(now) && kept.keyMatches();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
