package io.etcdplatform.auth;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.etcdplatform.kube.ClusterLabels;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
    Map<String, String> data = new TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return data;
  }

  /** Writes the Secret unless it already holds {@code desired}; true when it wrote. */
  static boolean apply(KubernetesClient client, EtcdCluster cluster, String name, String component,
      Map<String, String> current, Map<String, String> desired) {
    if (Objects.equals(new TreeMap<>(current), new TreeMap<>(desired))) {
      return false;
    }
    Map<String, String> data = new TreeMap<>();
    desired.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret secret = new SecretBuilder()
        .withMetadata(ClusterLabels.metadata(cluster, name, component))
        .editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
            .withKind(cluster.getKind()).withName(cluster.getMetadata().getName())
            .withUid(cluster.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
    client.resource(secret).forceConflicts().serverSideApply();
    return true;
  }
}
