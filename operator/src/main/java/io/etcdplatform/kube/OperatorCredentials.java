package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.etcd.EtcdCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The operator's etcd credential for one cluster: on a plaintext cluster whose auth it enabled
 * ({@code status.auth.enabled}), root and the password in {@code <cluster>-auth-root}; none on a TLS
 * cluster (its client certificate's CN, {@code etcd-platform-operator}, is its user) or before auth
 * is on (etcd refuses to authenticate while auth is off).
 */
public final class OperatorCredentials {

  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String ROOT = "root";

  private OperatorCredentials() {}

  public static Optional<EtcdCredential> of(EtcdCluster cluster, KubernetesClient client) {
    if (!cluster.getSpec().authEnabled() || cluster.getSpec().tlsEnabled() || !authEnabledInStatus(cluster)) {
      return Optional.empty();
    }
    Secret secret = client.secrets().inNamespace(cluster.getMetadata().getNamespace())
        .withName(ClusterNames.authRootSecret(cluster)).get();
    return password(secret).map(password -> new EtcdCredential(ROOT, password));
  }

  public static boolean authEnabledInStatus(EtcdCluster cluster) {
    return cluster.getStatus() != null && cluster.getStatus().getAuth() != null
        && Boolean.TRUE.equals(cluster.getStatus().getAuth().getEnabled());
  }

  /** The {@code password} key of a Secret, when it has one. */
  public static Optional<String> password(Secret secret) {
    return value(secret, PASSWORD);
  }

  public static Optional<String> value(Secret secret, String key) {
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.empty();
  }
}
