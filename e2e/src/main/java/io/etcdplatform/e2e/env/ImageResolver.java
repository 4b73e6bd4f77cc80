package io.etcdplatform.e2e.env;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.e2e.OperatorProcess;
import io.etcdplatform.testing.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a container image to the command line that stands for it here:
 * <ul>
 *   <li>an etcd image (any registry, tag {@code vX.Y.Z}) to the etcd, etcdctl or etcdutl built for
 *       that version, chosen by the command's file name;
 *   <li>the operator image (any registry, {@code .../etcd-operator:<tag>}) to the repository
 *       Dockerfile's ENTRYPOINT, its jar replaced by the one ./mvnw built.
 * </ul>
 */
public final class ImageResolver {

  private static final Pattern ETCD_IMAGE = Pattern.compile("(^|.*/)etcd:v?(3\\.\\d+\\.\\d+)$");
  private static final Pattern OPERATOR_IMAGE = Pattern.compile("(^|.*/)etcd-operator:[\\w.-]+$");
  private static final Pattern DOCKERFILE_ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$");
  private static final String IMAGE_JAR = "/opt/etcd-operator/operator.jar";
  private static final List<String> ETCD_TOOLS = List.of("etcd", "etcdctl", "etcdutl");

  /**
   * The words that replace the container's first command word (or, with no command, the image's
   * entrypoint); empty when the image is not known here.
   */
  public Optional<List<String>> entrypoint(String image, List<String> command) {
    Matcher etcd = ETCD_IMAGE.matcher(image);
    if (etcd.matches()) {
      String tool = command.isEmpty() ? "etcd" : Path.of(command.get(0)).getFileName().toString();
      if (!ETCD_TOOLS.contains(tool)) {
        return Optional.empty();
      }
      Path binary = Binaries.cache().resolve("etcd-v" + etcd.group(2)).resolve(tool);
      return Files.isExecutable(binary) ? Optional.of(List.of(binary.toString())) : Optional.empty();
    }
    if (OPERATOR_IMAGE.matcher(image).matches() && command.isEmpty()) {
      String jar = OperatorProcess.jar().toString();
      return Optional.of(operatorEntrypoint().stream().map(w -> w.equals(IMAGE_JAR) ? jar : w).toList());
    }
    return Optional.empty();
  }

  /** The ENTRYPOINT of the repository's Dockerfile (exec form), as the image runs it. */
  static List<String> operatorEntrypoint() {
    Path dockerfile = Binaries.repositoryRoot().resolve("Dockerfile");
    try {
      Matcher entrypoint = DOCKERFILE_ENTRYPOINT.matcher(Files.readString(dockerfile));
      if (!entrypoint.find()) {
        throw new IllegalStateException(dockerfile + " has no ENTRYPOINT [\"java\", ...] line");
      }
      List<String> words = new ObjectMapper().readValue(entrypoint.group(1), new TypeReference<List<String>>() {});
      if (!words.contains(IMAGE_JAR)) {
        throw new IllegalStateException(dockerfile + ": the ENTRYPOINT does not run " + IMAGE_JAR);
      }
      return words;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
