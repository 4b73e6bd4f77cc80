package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Mutual TLS on both planes. Its presence turns TLS on; the certificates come from the operator's
 * own authorities, from Secrets a person keeps, or from cert-manager.
 */
@ValidationRule(value = "self.source != 'BringYourOwn' || has(self.bringYourOwn)",
    message = "spec.tls.bringYourOwn is required with spec.tls.source BringYourOwn: name the Secrets of the client plane, the peer plane and the operator's client certificate",
    fieldPath = ".bringYourOwn", reason = "FieldValueRequired")
@ValidationRule(value = "self.source != 'CertManager' || has(self.certManager)",
    message = "spec.tls.certManager is required with spec.tls.source CertManager: set spec.tls.certManager.issuerRef to a cert-manager Issuer or ClusterIssuer",
    fieldPath = ".certManager", reason = "FieldValueRequired")
@ValidationRule(value = "self.source == oldSelf.source",
    message = "spec.tls.source cannot change on a running cluster: its members trust only the authorities they started with; back the cluster up and restore it into a new EtcdCluster with the other source",
    fieldPath = ".source", reason = "FieldValueForbidden")
@ValidationRule(value = "self.renewBeforeHours < self.certificateValidityHours",
    message = "spec.tls.renewBeforeHours must be less than spec.tls.certificateValidityHours: a certificate would be renewed as soon as it is issued",
    fieldPath = ".renewBeforeHours", reason = "FieldValueInvalid")
@ValidationRule(value = "self.authorityRenewBeforeHours < self.authorityValidityHours",
    message = "spec.tls.authorityRenewBeforeHours must be less than spec.tls.authorityValidityHours: an authority would be rotated as soon as it is made",
    fieldPath = ".authorityRenewBeforeHours", reason = "FieldValueInvalid")
public class TlsSpec {

  /** Where certificates come from. */
  public enum Source {
    OperatorManaged,
    BringYourOwn,
    CertManager
  }

  @JsonPropertyDescription("Where the certificates come from. OperatorManaged: the operator's own certificate authorities, "
      + "one per plane. BringYourOwn: Secrets you keep (spec.tls.bringYourOwn). CertManager: Certificates the operator "
      + "asks cert-manager for (spec.tls.certManager).")
  @Default("OperatorManaged")
  private Source source = Source.OperatorManaged;

  @JsonPropertyDescription("The Kubernetes cluster domain, for the certificates' fully qualified names (<service>.<namespace>.svc.<domain>).")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @Default("cluster.local")
  private String clusterDomain = "cluster.local";

  @JsonPropertyDescription("Validity of each leaf certificate (members', the operator's), in hours. Default 90 days.")
  @Min(2)
  @Max(87600)
  @Default("2160")
  private Integer certificateValidityHours = 2160;

  @JsonPropertyDescription("A leaf certificate is renewed this many hours before it expires. Default 30 days.")
  @Min(1)
  @Default("720")
  private Integer renewBeforeHours = 720;

  @JsonPropertyDescription("Validity of each plane's certificate authority, in hours. Default 10 years.")
  @Min(24)
  @Max(876000)
  @Default("87600")
  private Integer authorityValidityHours = 87600;

  @JsonPropertyDescription("With source BringYourOwn: the Secrets that hold the certificates.")
  private BringYourOwnTls bringYourOwn;

  @JsonPropertyDescription("With source CertManager: the issuer of the certificates.")
  private CertManagerTls certManager;

  public BringYourOwnTls getBringYourOwn() {
    return bringYourOwn;
  }

  public void setBringYourOwn(BringYourOwnTls bringYourOwn) {
    this.bringYourOwn = bringYourOwn;
  }

  public CertManagerTls getCertManager() {
    return certManager;
  }

  public void setCertManager(CertManagerTls certManager) {
    this.certManager = certManager;
  }

  @JsonPropertyDescription("A plane's certificate authority is rotated (two phases, members restarted one at a time) "
      + "this many hours before it expires. Default 1 year.")
  @Min(1)
  @Default("8760")
  private Integer authorityRenewBeforeHours = 8760;

  public Integer getAuthorityRenewBeforeHours() {
    return authorityRenewBeforeHours;
  }

  public void setAuthorityRenewBeforeHours(Integer authorityRenewBeforeHours) {
    this.authorityRenewBeforeHours = authorityRenewBeforeHours;
  }

  public Source getSource() {
    return source;
  }

  public void setSource(Source source) {
    this.source = source;
  }

  public String getClusterDomain() {
    return clusterDomain;
  }

  public void setClusterDomain(String clusterDomain) {
    this.clusterDomain = clusterDomain;
  }

  public Integer getCertificateValidityHours() {
    return certificateValidityHours;
  }

  public void setCertificateValidityHours(Integer certificateValidityHours) {
    this.certificateValidityHours = certificateValidityHours;
  }

  public Integer getRenewBeforeHours() {
    return renewBeforeHours;
  }

  public void setRenewBeforeHours(Integer renewBeforeHours) {
    this.renewBeforeHours = renewBeforeHours;
  }

  public Integer getAuthorityValidityHours() {
    return authorityValidityHours;
  }

  public void setAuthorityValidityHours(Integer authorityValidityHours) {
    this.authorityValidityHours = authorityValidityHours;
  }
}
