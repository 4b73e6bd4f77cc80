package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A TLS cluster's certificate authorities, per plane, and where a rotation of them stands. */
public class TlsStatus {

  @JsonPropertyDescription("One entry per plane (client, peer).")
  private List<AuthorityStatus> planes = new ArrayList<>();

  public TlsStatus() {}

  public TlsStatus(List<AuthorityStatus> planes) {
    this.planes = planes;
  }

  public List<AuthorityStatus> getPlanes() {
    return planes;
  }

  public void setPlanes(List<AuthorityStatus> planes) {
    this.planes = planes;
  }
}
