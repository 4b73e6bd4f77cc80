package io.etcdplatform.testing;

import io.etcdplatform.backup.S3SnapshotStore;
import io.etcdplatform.testkit.MinioServer;
import java.time.Duration;

/** The operator's own snapshot store on a test MinIO server. */
public final class MinioStores {

  private MinioStores() {}

  /** A store with the server's root credentials (path style, as MinIO serves). */
  public static S3SnapshotStore snapshotStore(MinioServer minio) {
    return S3SnapshotStore.connect(minio.endpoint(), MinioServer.REGION, true, MinioServer.ACCESS_KEY,
        MinioServer.SECRET_KEY, Duration.ofSeconds(30));
  }
}
