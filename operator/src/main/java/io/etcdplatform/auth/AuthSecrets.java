package io.etcdplatform.auth;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.OwnedSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** The Secrets of etcd auth the cluster owns (root's, one per declared user): read, written only when changed, removed. */
final class AuthSecrets {

  static final String ROOT_COMPONENT = "auth-root";
  static final String USER_COMPONENT = "auth-user";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthSecrets() {}

  /** 32 characters from 24 random bytes. */
  static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static Secret get(KubernetesClient client, EtcdCluster cluster, String name) {
    return client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(name).get();
  }

  static Map<String, String> data(Secret secret) {
    return OwnedSecrets.text(secret);
  }

  /** Writes the Secret unless it already holds {@code desired}; true when it wrote. */
  static boolean apply(KubernetesClient client, EtcdCluster cluster, String name, String component,
      Map<String, String> current, Map<String, String> desired) {
    return OwnedSecrets.apply(client, cluster, name, component, current, desired);
  }
}
