package io.etcdplatform.backup;

import java.net.URI;
import java.time.Duration;

/** For the backup benchmark: the store as it was with the AWS SDK's default checksums, measured beside ours. */
public final class SdkDefaultChecksumStores {

  private SdkDefaultChecksumStores() {}

  public static S3SnapshotStore connect(URI endpoint, String region, boolean pathStyle, String accessKeyId,
      String secretAccessKey, Duration timeout) {
    return new S3SnapshotStore(S3SnapshotStore.client(endpoint, region, pathStyle, accessKeyId, secretAccessKey,
        timeout).build());
  }
}
