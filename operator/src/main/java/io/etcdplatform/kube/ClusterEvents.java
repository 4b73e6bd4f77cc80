package io.etcdplatform.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an EtcdCluster or EtcdBackup: what the operator did, and what a person must do. */
public final class ClusterEvents {

  private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

  private ClusterEvents() {}

  public static void normal(KubernetesClient client, HasMetadata cluster, String reason, String message) {
    record(client, cluster, "Normal", reason, message);
  }

  public static void warning(KubernetesClient client, HasMetadata cluster, String reason, String message) {
    record(client, cluster, "Warning", reason, message);
  }

  private static void record(KubernetesClient client, HasMetadata cluster, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(cluster.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
          .withNamespace(cluster.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(cluster.getApiVersion())
            .withKind(cluster.getKind())
            .withName(cluster.getMetadata().getName())
            .withNamespace(cluster.getMetadata().getNamespace())
            .withUid(cluster.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent("etcd-platform").endSource()
        .build();
    try {
      client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // an Event is a courtesy: never fail a reconcile for one
      log.warn("{}/{}: could not record event {}: {}", cluster.getMetadata().getNamespace(),
          cluster.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
