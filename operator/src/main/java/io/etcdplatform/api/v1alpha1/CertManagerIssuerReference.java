package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A cert-manager Issuer (in the cluster's namespace) or ClusterIssuer. */
public class CertManagerIssuerReference {

  /** cert-manager's own issuer kinds; an external issuer's kind would come with its own group. */
  public enum Kind {
    Issuer,
    ClusterIssuer
  }

  @JsonPropertyDescription("Name of the Issuer or ClusterIssuer.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Issuer (in the cluster's namespace) or ClusterIssuer.")
  @Default("Issuer")
  private Kind kind = Kind.Issuer;

  @JsonPropertyDescription("API group of the issuer.")
  @Default("cert-manager.io")
  private String group = "cert-manager.io";

  public CertManagerIssuerReference() {}

  public CertManagerIssuerReference(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }
}
