package io.etcdplatform.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where snapshots go. (A PVC destination is to come beside s3.) */
public class BackupDestination {

  @JsonPropertyDescription("An S3-compatible bucket.")
  @Required
  private S3Destination s3;

  public S3Destination getS3() {
    return s3;
  }

  public void setS3(S3Destination s3) {
    this.s3 = s3;
  }
}
