package io.etcdplatform.e2e.env;

import io.etcdplatform.testing.Binaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a container image to a local executable: an etcd image (any registry, tag {@code vX.Y.Z}) to
 * the etcd, etcdctl or etcdutl built for that version, chosen by the command's file name.
 */
public final class ImageResolver {

  private static final Pattern ETCD_IMAGE = Pattern.compile("(^|.*/)etcd:v?(3\\.\\d+\\.\\d+)$");
  private static final List<String> ETCD_TOOLS = List.of("etcd", "etcdctl", "etcdutl");

  /** The executable for the container's first command word, or empty when the image is not known here. */
  public Optional<Path> executable(String image, List<String> command) {
    Matcher etcd = ETCD_IMAGE.matcher(image);
    if (etcd.matches()) {
      String tool = command.isEmpty() ? "etcd" : Path.of(command.get(0)).getFileName().toString();
      if (!ETCD_TOOLS.contains(tool)) {
        return Optional.empty();
      }
      Path binary = Binaries.cache().resolve("etcd-v" + etcd.group(2)).resolve(tool);
      return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
    }
    return Optional.empty();
  }
}
