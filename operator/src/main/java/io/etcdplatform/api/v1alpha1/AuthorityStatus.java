package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One plane's certificate authorities and its rotation (Idle, Trusting, Reissuing, Dropping). */
public class AuthorityStatus {

  @JsonPropertyDescription("client or peer.")
  private String plane;

  @JsonPropertyDescription("Idle; or the rotation's phase: Trusting (members restart to trust the new authority beside "
      + "the old), Reissuing (every certificate is issued again by the new authority), Dropping (members restart to "
      + "trust only the new authority).")
  private String phase;

  @JsonPropertyDescription("What the rotation waits for, or did last.")
  private String message;

  @JsonPropertyDescription("When the rotation under way began (RFC 3339).")
  private String rotationStartedAt;

  @JsonPropertyDescription("SHA-256 fingerprint (first 16 hex digits) of the authority that signs this plane's certificates.")
  private String authority;

  @JsonPropertyDescription("When that authority expires (RFC 3339).")
  private String authorityNotAfter;

  @JsonPropertyDescription("Fingerprint of the new authority being trusted (Trusting).")
  private String nextAuthority;

  @JsonPropertyDescription("Fingerprint of the previous authority, trusted until nothing it signed is served (Reissuing, Dropping).")
  private String retiredAuthority;

  public AuthorityStatus() {}

  public String getPlane() {
    return plane;
  }

  public void setPlane(String plane) {
    this.plane = plane;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getRotationStartedAt() {
    return rotationStartedAt;
  }

  public void setRotationStartedAt(String rotationStartedAt) {
    this.rotationStartedAt = rotationStartedAt;
  }

  public String getAuthority() {
    return authority;
  }

  public void setAuthority(String authority) {
    this.authority = authority;
  }

  public String getAuthorityNotAfter() {
    return authorityNotAfter;
  }

  public void setAuthorityNotAfter(String authorityNotAfter) {
    this.authorityNotAfter = authorityNotAfter;
  }

  public String getNextAuthority() {
    return nextAuthority;
  }

  public void setNextAuthority(String nextAuthority) {
    this.nextAuthority = nextAuthority;
  }

  public String getRetiredAuthority() {
    return retiredAuthority;
  }

  public void setRetiredAuthority(String retiredAuthority) {
    this.retiredAuthority = retiredAuthority;
  }
}
