package io.etcdplatform.backup;

import java.net.ConnectException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns what S3 answered into a message a person can act on. */
public final class StorageFailures {

  private StorageFailures() {}

  public static String explain(String endpoint, String bucket, Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof S3Exception)) {
      cause = cause.getCause();
    }
    if (cause instanceof NoSuchBucketException
        || cause instanceof S3Exception s3 && "NoSuchBucket".equals(code(s3))) {
      return "bucket " + bucket + " does not exist at " + endpoint + ": create it, or fix destination.s3.bucket";
    }
    if (cause instanceof S3Exception s3 && (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code(s3))
        || "SignatureDoesNotMatch".equals(code(s3)))) {
      return "the storage at " + endpoint + " refused the credentials (" + code(s3) + "): check the access key ID "
          + "and secret access key in destination.s3.credentialsSecret, and that they may write to bucket " + bucket;
    }
    if (cause instanceof S3Exception s3) {
      return "the storage at " + endpoint + " answered " + s3.statusCode() + " " + code(s3) + ": " + s3.getMessage();
    }
    if (hasCause(failure, ConnectException.class) || hasCause(failure, UnknownHostException.class)
        || failure instanceof SdkClientException) {
      return "the storage at " + endpoint + " is unreachable (" + rootMessage(failure) + "): check "
          + "destination.s3.endpoint and that the operator can reach it";
    }
    return "storing the snapshot failed: " + rootMessage(failure);
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
