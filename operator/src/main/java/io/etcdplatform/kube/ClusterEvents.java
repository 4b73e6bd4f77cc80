package io.etcdplatform.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an EtcdCluster or EtcdBackup: what the operator did, and what a person must do. */
public final class ClusterEvents {

  private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  public ClusterEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, randomName(object), "Normal", reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, randomName(object), "Warning", reason, message);
  }

  /**
   * A warning recorded once per object and reason, even by a pass that reads a status older than the
   * one the previous pass wrote (JOSDK does not cache its own status patches): the Event's name is fixed.
   */
  public void warningOnce(HasMetadata object, String reason, String message) {
    record(object, onceName(object, reason), "Warning", reason, message);
  }

  /** A normal Event recorded once per object and reason, as {@link #warningOnce}. */
  public void normalOnce(HasMetadata object, String reason, String message) {
    record(object, onceName(object, reason), "Normal", reason, message);
  }

  private static String onceName(HasMetadata object, String reason) {
    return object.getMetadata().getName() + "." + reason.toLowerCase(Locale.ROOT) + "." + object.getMetadata().getUid();
  }

  private static String randomName(HasMetadata object) {
    return object.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13);
  }

  private void record(HasMetadata object, String name, String type, String reason, String message) {
    String now = Timestamps.of(clock.instant());
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(object.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion())
            .withKind(object.getKind())
            .withName(object.getMetadata().getName())
            .withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid())
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
      client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return; // warningOnce: recorded already
      }
      // an Event is a courtesy: never fail a reconcile for one
      log.warn("{}/{}: could not record event {}: {}", object.getMetadata().getNamespace(),
          object.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
