package io.etcdplatform.backup;

import io.etcdplatform.api.v1alpha1.S3Destination;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** Opens the S3 store a destination names, with the credentials of its Secret. */
public final class S3Stores {

  /** The store, or why it cannot be opened (naming the Secret or key that is missing, and the fix). */
  public sealed interface Opened {}

  public record Store(S3SnapshotStore store) implements Opened {}

  public record Refused(String reason) implements Opened {}

  private S3Stores() {}

  public static Opened open(KubernetesClient client, String namespace, S3Destination s3, Duration timeout) {
    S3Destination.CredentialsSecret ref = s3.getCredentialsSecret();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null) {
      return new Refused("Secret " + ref.getName() + " (destination.s3.credentialsSecret) does not exist "
          + "in namespace " + namespace + ": create it with the keys " + ref.getAccessKeyIdKey() + " and "
          + ref.getSecretAccessKeyKey());
    }
    Optional<String> accessKeyId = value(secret, ref.getAccessKeyIdKey());
    Optional<String> secretAccessKey = value(secret, ref.getSecretAccessKeyKey());
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
      String key = accessKeyId.isEmpty() ? ref.getAccessKeyIdKey() : ref.getSecretAccessKeyKey();
      return new Refused("Secret " + secret.getMetadata().getName() + " has no key " + key + ": add it, "
          + "or name the key that holds it in destination.s3.credentialsSecret");
    }
    return new Store(S3SnapshotStore.connect(URI.create(s3.getEndpoint()), s3.getRegion(),
        Boolean.TRUE.equals(s3.getForcePathStyle()), accessKeyId.get(), secretAccessKey.get(), timeout));
  }

  private static Optional<String> value(Secret secret, String key) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    return Optional.ofNullable(encoded)
        .map(e -> new String(Base64.getDecoder().decode(e), StandardCharsets.UTF_8).trim());
  }
}
