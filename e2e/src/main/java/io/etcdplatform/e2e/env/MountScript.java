package io.etcdplatform.e2e.env;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The shell script a container runs as in its mount namespace: mounts the hosts file, the image's
 * files and the volumes, then execs the container's process (same pid). A mount that hides another's
 * source (an emptyDir at /tmp while this environment lives under /tmp) comes after it; otherwise
 * parents before children.
 */
final class MountScript {

  private MountScript() {}

  /**
   * @param mounts path in the container -> local file or directory
   * @param words the container's command line
   */
  static String of(HostsFile hosts, Map<String, Path> mounts, List<String> words) {
    StringBuilder s = new StringBuilder("set -e\n");
    s.append("mount --bind ").append(quote(hosts.path().toString())).append(" /etc/hosts\n");
    s.append("mount --bind ").append(quote(hosts.resolvConf().toString())).append(" /etc/resolv.conf\n");
    List<Path> sources = mounts.values().stream().map(Path::toAbsolutePath).toList();
    mounts.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Path> m) -> hidesASource(Path.of(m.getKey()), sources))
            .thenComparing(m -> Path.of(m.getKey()).getNameCount()))
        .forEach(m -> s.append("mkdir -p ").append(quote(m.getKey())).append('\n')
            .append("mount --bind ").append(quote(m.getValue().toString())).append(' ').append(quote(m.getKey()))
            .append('\n'));
    s.append("exec");
    words.forEach(w -> s.append(' ').append(quote(w)));
    return s.append('\n').toString();
  }

  private static boolean hidesASource(Path target, List<Path> sources) {
    return sources.stream().anyMatch(source -> source.startsWith(target));
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
