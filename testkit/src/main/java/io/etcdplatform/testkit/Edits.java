package io.etcdplatform.testkit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.UnaryOperator;

/** Changes to objects the operator writes too. */
public final class Edits {

  private static final int ATTEMPTS = 5;

  private Edits() {}

  /**
   * Reads, changes and writes the object as a person would ({@code kubectl edit}), reading it
   * again after a conflict with a write of the operator's own (its status patches).
   */
  public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return resource.edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** {@code kubectl annotate --overwrite}: sets one annotation, keeping the others. */
  public static <T extends HasMetadata> T annotate(Resource<T> resource, String key, String value) {
    return edit(resource, object -> {
      var annotations = new java.util.HashMap<String, String>();
      if (object.getMetadata().getAnnotations() != null) {
        annotations.putAll(object.getMetadata().getAnnotations());
      }
      annotations.put(key, value);
      object.getMetadata().setAnnotations(annotations);
      return object;
    });
  }
}
