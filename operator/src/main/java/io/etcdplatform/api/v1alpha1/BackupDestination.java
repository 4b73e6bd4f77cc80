package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where snapshots go: an S3-compatible bucket or a PersistentVolumeClaim. */
@ValidationRule(value = "has(self.s3) != has(self.pvc)", message = "set exactly one of s3 or pvc")
public class BackupDestination {

  @JsonPropertyDescription("An S3-compatible bucket.")
  private S3Destination s3;

  @JsonPropertyDescription("A PersistentVolumeClaim, written by a Job (the operator image) that mounts it.")
  private PvcDestination pvc;

  public S3Destination getS3() {
    return s3;
  }

  public void setS3(S3Destination s3) {
    this.s3 = s3;
  }

  public PvcDestination getPvc() {
    return pvc;
  }

  public void setPvc(PvcDestination pvc) {
    this.pvc = pvc;
  }
}
