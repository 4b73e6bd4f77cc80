package io.etcdplatform.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;
import java.util.function.Supplier;

/** Status patches of our custom resources: only the status, and only when it changed. */
public final class StatusPatches {

  private StatusPatches() {}

  /** A resource carrying nothing but its name, namespace and {@code status}: a patch of the status alone. */
  public static <S, T, R extends CustomResource<S, T>> R of(R resource, T status, Supplier<R> empty) {
    R patch = empty.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  /** The two statuses serialize alike (a missing current status never equals a computed one). */
  public static boolean same(Object current, Object next) {
    var mapper = Serialization.jsonMapper();
    return current != null && Objects.equals(mapper.valueToTree(current), mapper.valueToTree(next));
  }
}
