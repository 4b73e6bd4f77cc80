package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.S3Destination;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Opens the S3 store a destination names, with the credentials of its Secret. */
public final class S3Stores {

  private S3Stores() {}

  /** @throws IllegalStateException naming the Secret or the key that is missing, and the fix */
  public static S3SnapshotStore open(KubernetesClient client, String namespace, S3Destination s3, Duration timeout) {
    S3Destination.CredentialsSecret ref = s3.getCredentialsSecret();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + ref.getName() + " (destination.s3.credentialsSecret) does not exist "
          + "in namespace " + namespace + ": create it with the keys " + ref.getAccessKeyIdKey() + " and "
          + ref.getSecretAccessKeyKey());
    }
    return S3SnapshotStore.connect(URI.create(s3.getEndpoint()), s3.getRegion(), Boolean.TRUE.equals(s3.getForcePathStyle()),
        value(secret, ref.getAccessKeyIdKey()), value(secret, ref.getSecretAccessKeyKey()), timeout);
  }

  private static String value(Secret secret, String key) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    if (encoded == null) {
      throw new IllegalStateException("Secret " + secret.getMetadata().getName() + " has no key " + key + ": add it, "
          + "or name the key that holds it in destination.s3.credentialsSecret");
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
  }
}
