package io.etcdplatform.kube;

import io.etcdplatform.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The Secrets an EtcdCluster owns (TLS material, etcd auth credentials): their data as text, written only when it changes. */
public final class OwnedSecrets {

  private OwnedSecrets() {}

  /** A Secret's data as text, by key; empty for a missing Secret. */
  public static Map<String, String> text(Secret secret) {
    Map<String, String> data = new TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((key, value) ->
          data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    return data;
  }

  /** Applies the Secret, owned by the cluster, unless it already holds {@code desired}; true when it wrote. */
  public static boolean apply(KubernetesClient client, EtcdCluster cluster, String name, String component,
      Map<String, String> current, Map<String, String> desired) {
    if (Objects.equals(new TreeMap<>(current), new TreeMap<>(desired))) {
      return false;
    }
    Map<String, String> data = new TreeMap<>();
    desired.forEach((key, value) ->
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
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
