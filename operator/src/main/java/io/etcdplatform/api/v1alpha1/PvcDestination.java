package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PersistentVolumeClaim in the cluster's namespace, written by a Job that mounts it. */
public class PvcDestination {

  @JsonPropertyDescription("Name of the PersistentVolumeClaim, in the same namespace; it must exist. ReadWriteMany (or "
      + "ReadOnlyMany for restores) lets the snapshot Job and every restoring member mount it on any node.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  private String claimName;

  @JsonPropertyDescription("Directory in the claim; snapshots are stored as <path>/<cluster>/<backup name>.db.")
  @Default("")
  @Pattern("^([A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)?$")
  private String path = "";

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
