package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The cluster's DNS as one hosts file: each pod's {@code <hostname>.<subdomain>.<ns>.svc} (and
 * {@code .svc.cluster.local}) and each Service's name mapped to its ready pods' loopback IPs. It is
 * rewritten in place (same inode), so the bind mounts at every pod's /etc/hosts see each change.
 */
public final class HostsFile {

  private final Path path;
  private final Path resolvConf;
  private String written = "";

  public HostsFile(Path path) throws IOException {
    this.path = path;
    this.resolvConf = path.resolveSibling("resolv.conf");
    Files.createDirectories(path.getParent());
    if (!Files.exists(path)) {
      Files.writeString(path, render(List.of()));
    }
    // a name missing from the hosts file must fail here, never become a DNS query off the machine
    Files.writeString(resolvConf, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
  }

  public Path path() {
    return path;
  }

  /** A resolv.conf whose only nameserver is on loopback (where none listens), mounted in every pod. */
  public Path resolvConf() {
    return resolvConf;
  }

  /**
   * Rewrites the file when its content changes.
   *
   * @param ips the loopback IP of each pod this node runs, by pod uid: a pod's name is in the file
   *     before its containers start, so its peers resolve it on their first lookup (Go programs
   *     re-read /etc/hosts at most every 5 s)
   */
  public synchronized void update(Collection<Pod> pods, Map<String, String> ips, Collection<Service> services,
      Predicate<Pod> ready) throws IOException {
    List<String> entries = new ArrayList<>();
    for (Pod pod : pods) {
      String ip = ips.get(pod.getMetadata().getUid());
      if (ip == null || pod.getSpec().getHostname() == null || pod.getSpec().getSubdomain() == null) {
        continue;
      }
      String base = pod.getSpec().getHostname() + "." + pod.getSpec().getSubdomain() + "." + pod.getMetadata().getNamespace();
      entries.add(ip + " " + base + ".svc " + base + ".svc.cluster.local");
    }
    for (Service service : services) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null || selector.isEmpty()) {
        continue;
      }
      String base = service.getMetadata().getName() + "." + service.getMetadata().getNamespace();
      for (Pod pod : pods) {
        if (pod.getMetadata().getNamespace().equals(service.getMetadata().getNamespace()) && ready.test(pod)
            && ips.containsKey(pod.getMetadata().getUid())
            && pod.getMetadata().getLabels() != null
            && pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
          entries.add(ips.get(pod.getMetadata().getUid()) + " " + base + ".svc " + base + ".svc.cluster.local");
        }
      }
    }
    String content = render(entries);
    if (content.equals(written)) {
      return;
    }
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.write(padded(content.getBytes(StandardCharsets.UTF_8), file.length()));
    }
    written = content;
  }

  /**
   * The file is written over in one call and never shortened: truncating it first (or after) left
   * an instant in which a pod's lookup found an empty file, or a fragment of the old lines, and
   * failed. A shorter content is padded with a comment line up to the old length instead.
   */
  static byte[] padded(byte[] content, long currentLength) {
    if (content.length >= currentLength) {
      return content;
    }
    byte[] bytes = Arrays.copyOf(content, (int) currentLength);
    Arrays.fill(bytes, content.length, bytes.length, (byte) ' ');
    bytes[content.length] = '#';
    bytes[bytes.length - 1] = '\n';
    return bytes;
  }

  private static String render(List<String> entries) {
    StringBuilder content = new StringBuilder("# written by the etcd-platform node agent\n127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
    new TreeSet<>(entries).forEach(line -> content.append(line).append('\n'));
    return content.toString();
  }
}
