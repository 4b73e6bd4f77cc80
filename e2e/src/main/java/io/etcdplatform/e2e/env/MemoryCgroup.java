package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's own memory cgroup, limited to its resources.limits.memory, as a kubelet's would be:
 * the kernel enforces it and a JVM inside sizes its heap from it. cgroup v2 (memory.max, when the
 * root delegates the memory controller) or v1 (memory.limit_in_bytes); none where neither is
 * writable, with a warning: the process then runs unlimited.
 */
final class MemoryCgroup {

  private static final Logger log = LoggerFactory.getLogger(MemoryCgroup.class);
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  private static final Path V1 = ROOT.resolve("memory");
  private static final String PARENT = "etcd-platform";

  private MemoryCgroup() {}

  /** The cgroup directory to put the process in, if the container has a limit and the machine allows one. */
  static Optional<Path> create(Container container, String name) {
    Optional<Long> limit = limitBytes(container);
    if (limit.isEmpty()) {
      return Optional.empty();
    }
    boolean v2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    Path dir = (v2 ? ROOT : V1).resolve(PARENT).resolve(name);
    try {
      Files.createDirectories(dir);
      if (v2) {
        Files.writeString(dir.getParent().resolve("cgroup.subtree_control"), "+memory");
      }
      Files.writeString(dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(limit.get()));
      return Optional.of(dir);
    } catch (IOException | RuntimeException e) {
      log.warn("{}: no memory cgroup here, the limit of {} bytes is not enforced: {}", name, limit.get(), e.toString());
      remove(dir);
      return Optional.empty();
    }
  }

  static Optional<Long> limitBytes(Container container) {
    return Optional.ofNullable(container.getResources())
        .map(r -> r.getLimits())
        .map(limits -> limits.get("memory"))
        .map(q -> Quantity.getAmountInBytes(q).longValueExact());
  }

  /** Once its processes exited; a cgroup that still has one is left for the next removal. */
  static void remove(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("{} not removed: {}", dir, e.toString());
    }
  }
}
