package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Certificates cert-manager issues: the operator creates the Certificate objects (members' server
 * and peer certificates, its own client certificate) and uses the Secrets cert-manager writes.
 */
public class CertManagerTls {

  @JsonPropertyDescription("The issuer of the client plane's certificates (members' server certificate, the operator's client certificate).")
  @Required
  private CertManagerIssuerReference issuerRef;

  @JsonPropertyDescription("The issuer of the peer plane's certificate; issuerRef when unset. A separate issuer keeps "
      + "client certificates off the peer plane (etcd trusts whatever its peer authority signed).")
  private CertManagerIssuerReference peerIssuerRef;

  public CertManagerIssuerReference getIssuerRef() {
    return issuerRef;
  }

  public void setIssuerRef(CertManagerIssuerReference issuerRef) {
    this.issuerRef = issuerRef;
  }

  public CertManagerIssuerReference getPeerIssuerRef() {
    return peerIssuerRef;
  }

  public void setPeerIssuerRef(CertManagerIssuerReference peerIssuerRef) {
    this.peerIssuerRef = peerIssuerRef;
  }

  /** The peer plane's issuer: its own, or the client plane's. */
  public CertManagerIssuerReference peerIssuer() {
    return peerIssuerRef != null ? peerIssuerRef : issuerRef;
  }
}
