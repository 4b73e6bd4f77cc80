package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the cluster's namespace holding tls.crt, tls.key and ca.crt (the kubernetes.io/tls layout cert-manager writes). */
public class TlsSecretReference {

  @JsonPropertyDescription("Name of a Secret in the cluster's namespace.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String secretName;

  public TlsSecretReference() {}

  public TlsSecretReference(String secretName) {
    this.secretName = secretName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
