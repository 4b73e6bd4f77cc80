package io.etcdplatform.e2e.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * fsGroup applied to a volume as the kubelet's SetVolumeOwnership does: every file and directory
 * gets the group; files gain group read-write (read only on a read-only volume such as a Secret),
 * directories group rwx and setgid, so what the container writes there belongs to the group too.
 * With fsGroupChangePolicy OnRootMismatch nothing changes when the root already has the group and
 * those bits.
 */
final class VolumeOwnership {

  private static final int SETGID = 02000;
  private static final int DIRECTORY_BITS = 0070 | SETGID;
  private static final int READ_ONLY_DIRECTORY_BITS = 0050 | SETGID;
  private static final int READ_WRITE = 0060;
  private static final int READ_ONLY = 0040;

  private VolumeOwnership() {}

  static void apply(Path root, long fsGroup, String changePolicy, boolean readOnly) throws IOException {
    if ("OnRootMismatch".equals(changePolicy) && alreadyOwned(root, fsGroup, readOnly)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.toList();
    }
    for (Path path : paths) {
      if (Files.isSymbolicLink(path)) {
        continue;
      }
      Files.setAttribute(path, "unix:gid", (int) fsGroup, LinkOption.NOFOLLOW_LINKS);
      int bits = Files.isDirectory(path) ? (readOnly ? READ_ONLY_DIRECTORY_BITS : DIRECTORY_BITS)
          : readOnly ? READ_ONLY : READ_WRITE;
      Files.setAttribute(path, "unix:mode", mode(path) | bits);
    }
  }

  private static boolean alreadyOwned(Path root, long fsGroup, boolean readOnly) throws IOException {
    int gid = (Integer) Files.getAttribute(root, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    int required = readOnly ? READ_ONLY_DIRECTORY_BITS : DIRECTORY_BITS;
    return gid == fsGroup && (mode(root) & required) == required;
  }

  static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode") & 07777;
  }
}
