package io.etcdplatform.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority the operator keeps for one cluster and plane: it signs that plane's leaf
 * certificates. Keys are ECDSA P-256 (etcd, gRPC and Go's TLS all take them; generated in
 * milliseconds), signatures SHA-256.
 */
public final class CertificateAuthority {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IssuedCertificate self;

  private CertificateAuthority(IssuedCertificate self) {
    this.self = self;
  }

  /** A new self-signed authority. */
  public static CertificateAuthority create(String commonName, Instant notBefore, Instant notAfter) {
    KeyPair keys = newKeyPair();
    X500Name subject = name(commonName);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(subject, subject, notBefore, notAfter, keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new CertificateAuthority(new IssuedCertificate(sign(builder, keys), keys.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a certificate authority", e);
    }
  }

  /** An authority kept earlier (its Secret's certificate and key). */
  public static CertificateAuthority of(IssuedCertificate kept) {
    if (kept.certificate().getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the certificate of " + kept.certificate().getSubjectX500Principal()
          + " is not a certificate authority (no basicConstraints CA:true)");
    }
    return new CertificateAuthority(kept);
  }

  public IssuedCertificate certificate() {
    return self;
  }

  public IssuedCertificate issue(LeafRequest request) {
    KeyPair keys = newKeyPair();
    X509Certificate issuer = self.certificate();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(
          X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), name(request.commonName()),
          request.notBefore(), request.notAfter(), keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, keyUsage(request.usage()))
          .addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(request.usage()))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(issuer));
      List<GeneralName> names = new ArrayList<>();
      request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
      request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new IssuedCertificate(sign(builder, new KeyPair(issuer.getPublicKey(), self.key())),
          keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + request.commonName(), e);
    }
  }

  private static KeyUsage keyUsage(CertificateUsage usage) {
    return switch (usage) {
      case SERVER_AND_CLIENT -> new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
      case CLIENT -> new KeyUsage(KeyUsage.digitalSignature);
    };
  }

  private static ExtendedKeyUsage extendedKeyUsage(CertificateUsage usage) {
    return switch (usage) {
      case SERVER_AND_CLIENT -> new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
      case CLIENT -> new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
    };
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant notBefore,
      Instant notAfter, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256 key generator", e);
    }
  }
}
