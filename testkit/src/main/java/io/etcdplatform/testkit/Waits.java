package io.etcdplatform.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for what the operator (or a Kubernetes controller) writes after the fact. A test waits
 * for the very state it then asserts on and asserts on the read that showed it: a status, a
 * condition, a member list is never read before it is there.
 */
public final class Waits {

  private Waits() {}

  /** {@link #until(ConditionFactory, Resource, Predicate)} polling as Awaitility does by default. */
  public static <T extends HasMetadata> T until(Resource<T> resource, Duration timeout, Predicate<? super T> state) {
    return until(await().atMost(timeout), resource, state);
  }

  /**
   * Reads the object until it exists and shows the state; returns that read. The state may read
   * parts not written yet (a status, a condition, a list): its NullPointerException means "not
   * yet", as a missing object does, instead of failing the wait at once.
   *
   * @param timing the wait's timeout and poll interval, e.g. {@code await().atMost(...)}
   */
  public static <T extends HasMetadata> T until(ConditionFactory timing, Resource<T> resource,
      Predicate<? super T> state) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      return timing.ignoreException(NullPointerException.class).until(() -> {
        T read = resource.get();
        last.set(read);
        return read;
      }, read -> read != null && state.test(read));
    } catch (ConditionTimeoutException e) {
      T read = last.get();
      throw new ConditionTimeoutException(e.getMessage() + "; "
          + (read == null ? "the object did not exist" : "last read:\n" + withoutManagedFields(read)), e);
    }
  }

  private static String withoutManagedFields(HasMetadata object) {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(object);
    if (tree.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("managedFields");
    }
    return Serialization.asYaml(tree);
  }
}
