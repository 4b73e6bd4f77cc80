package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * Certificates a person keeps in Secrets of their own: the operator validates them at every pass
 * and copies what is valid into the Secrets the members mount; it never holds a certificate
 * authority's key, so the operator's own client certificate is one of those Secrets too.
 */
public class BringYourOwnTls {

  @JsonPropertyDescription("The client plane (2379): tls.crt/tls.key the members serve (extended key usages serverAuth "
      + "and clientAuth; SANs for every member under the peer Service and the client Service), ca.crt the authorities "
      + "the members trust for clients and the operator trusts for the members.")
  @Required
  private TlsSecretReference client;

  @JsonPropertyDescription("The peer plane (2380): tls.crt/tls.key the members serve and dial each other with "
      + "(serverAuth and clientAuth; SANs for every member under the peer Service), ca.crt the authorities they trust.")
  @Required
  private TlsSecretReference peer;

  @JsonPropertyDescription("The operator's client certificate (tls.crt/tls.key, extended key usage clientAuth), signed "
      + "by an authority of the client plane's ca.crt.")
  @Required
  private TlsSecretReference operator;

  public TlsSecretReference getClient() {
    return client;
  }

  public void setClient(TlsSecretReference client) {
    this.client = client;
  }

  public TlsSecretReference getPeer() {
    return peer;
  }

  public void setPeer(TlsSecretReference peer) {
    this.peer = peer;
  }

  public TlsSecretReference getOperator() {
    return operator;
  }

  public void setOperator(TlsSecretReference operator) {
    this.operator = operator;
  }
}
