package io.etcdplatform.e2e.env;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shell script a container runs as in its mount namespace, as root: joins its memory cgroup,
 * mounts the hosts file, the image's files and the volumes (read-only ones remounted so), then
 * execs the container's process (same pid) through {@code setpriv} as the container's user. A mount
 * that hides another's source (an emptyDir at /tmp while this environment lives under /tmp) comes
 * after it; otherwise parents before children.
 */
final class MountScript {

  private MountScript() {}

  /**
   * @param mounts path in the container -> local file or directory
   * @param readOnly the paths of {@code mounts} the process may not write
   * @param cgroup the container's own cgroup directory, if it has one
   * @param words the container's command line, run as {@code identity}
   */
  static String of(HostsFile hosts, Map<String, Path> mounts, Set<String> readOnly, Optional<Path> cgroup,
      ProcessIdentity identity, List<String> words) {
    StringBuilder s = new StringBuilder("set -e\n");
    cgroup.ifPresent(dir -> s.append("echo $$ > ").append(quote(dir.resolve("cgroup.procs").toString())).append('\n'));
    s.append("mount --bind ").append(quote(hosts.path().toString())).append(" /etc/hosts\n");
    s.append("mount --bind ").append(quote(hosts.resolvConf().toString())).append(" /etc/resolv.conf\n");
    List<Path> sources = mounts.values().stream().map(Path::toAbsolutePath).toList();
    mounts.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Path> m) -> hidesASource(Path.of(m.getKey()), sources))
            .thenComparing(m -> Path.of(m.getKey()).getNameCount()))
        .forEach(m -> mount(s, m.getValue(), m.getKey(), readOnly.contains(m.getKey())));
    s.append("exec");
    identity.setpriv().forEach(w -> s.append(' ').append(quote(w)));
    words.forEach(w -> s.append(' ').append(quote(w)));
    return s.append('\n').toString();
  }

  private static void mount(StringBuilder s, Path source, String target, boolean readOnly) {
    s.append("mkdir -p ").append(quote(target)).append('\n')
        .append("mount --bind ").append(quote(source.toString())).append(' ').append(quote(target)).append('\n');
    if (readOnly) {
      s.append("mount -o remount,bind,ro ").append(quote(target)).append('\n');
    }
  }

  private static boolean hidesASource(Path target, List<Path> sources) {
    return sources.stream().anyMatch(source -> source.startsWith(target));
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
