package io.etcdplatform.e2e.env;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a container image to what stands for it here:
 * <ul>
 *   <li>an etcd image (any registry, tag {@code vX.Y.Z}) to the etcd, etcdctl or etcdutl built for
 *       that version, chosen by the command's file name, mounted at the image's /usr/local/bin;
 *   <li>the operator image (any registry, {@code .../etcd-operator:<tag>}) to the repository
 *       Dockerfile's ENTRYPOINT, run as it is, with the jar ./mvnw built mounted where the image
 *       has it ({@code /opt/etcd-operator/operator.jar}), and the etcdutl builds where the image
 *       has them ({@code /opt/etcdutl/<minor>/etcdutl}, and etcd at {@code /opt/etcd/<minor>/etcd}).
 * </ul>
 */
public final class ImageResolver {

  /**
   * @param entrypoint the words that replace the container's first command word (or, with no
   *     command, the image's entrypoint)
   * @param files directories of the image's file system to bind-mount (path in the image -> local directory)
   */
  public record Image(List<String> entrypoint, Map<String, Path> files) {}

  private static final Pattern ETCD_IMAGE = Pattern.compile("(^|.*/)etcd:v?(3\\.\\d+\\.\\d+)$");
  private static final Pattern OPERATOR_IMAGE = Pattern.compile("(^|.*/)etcd-operator:[\\w.-]+$");
  private static final Pattern DOCKERFILE_ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$");
  private static final Path IMAGE_JAR = Path.of("/opt/etcd-operator/operator.jar");
  private static final Path IMAGE_BIN = Path.of("/usr/local/bin");
  private static final List<String> ETCD_TOOLS = List.of("etcd", "etcdctl", "etcdutl");

  private final Path imagesDir;

  /** @param imagesDir where image files are laid out for mounting */
  public ImageResolver(Path imagesDir) {
    this.imagesDir = imagesDir;
  }

  /** Empty when the image is not known here. */
  public Optional<Image> resolve(String image, List<String> command) throws IOException {
    Matcher etcd = ETCD_IMAGE.matcher(image);
    if (etcd.matches()) {
      String tool = command.isEmpty() ? "etcd" : Path.of(command.get(0)).getFileName().toString();
      if (!ETCD_TOOLS.contains(tool)) {
        return Optional.empty();
      }
      Path binary = Binaries.cache().resolve("etcd-v" + etcd.group(2)).resolve(tool);
      // mounted where the image has it, so a non-root user reaches it whatever the cache's modes
      return Files.isExecutable(binary)
          ? Optional.of(new Image(List.of(IMAGE_BIN.resolve(tool).toString()),
              Map.of(IMAGE_BIN.toString(), binary.getParent())))
          : Optional.empty();
    }
    if (OPERATOR_IMAGE.matcher(image).matches() && command.isEmpty()) {
      // the image also carries etcdutl of each supported minor release, for restores, and etcd, for
      // the throwaway member of a restore drill
      return Optional.of(new Image(operatorEntrypoint(), Map.of(
          IMAGE_JAR.getParent().toString(), operatorImageDir(),
          "/opt/etcdutl/3.6", Binaries.etcd("etcdutl").getParent(),
          "/opt/etcdutl/3.5", Binaries.etcd35("etcdutl").getParent(),
          "/opt/etcd/3.6", Binaries.etcd("etcd").getParent(),
          "/opt/etcd/3.5", Binaries.etcd35("etcd").getParent())));
    }
    return Optional.empty();
  }

  /**
   * The built jar, copied as operator.jar into a directory of its own, refreshed when the build is
   * newer. The copy keeps the build's time only to the microsecond, hence the comparison in
   * milliseconds (else every container would copy it again); it is moved into place whole, as a
   * JVM starting in another container may be opening it.
   */
  private synchronized Path operatorImageDir() throws IOException {
    Path dir = imagesDir.resolve("etcd-operator");
    Path jar = dir.resolve(IMAGE_JAR.getFileName());
    Path built = OperatorJar.built();
    if (!Files.exists(jar) || Files.getLastModifiedTime(jar).toMillis() < Files.getLastModifiedTime(built).toMillis()) {
      Files.createDirectories(dir);
      Path copy = dir.resolve(jar.getFileName() + ".copy");
      Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return dir;
  }

  /** The ENTRYPOINT of the repository's Dockerfile (exec form). */
  static List<String> operatorEntrypoint() throws IOException {
    Path dockerfile = Binaries.repositoryRoot().resolve("Dockerfile");
    Matcher entrypoint = DOCKERFILE_ENTRYPOINT.matcher(Files.readString(dockerfile));
    if (!entrypoint.find()) {
      throw new IllegalStateException(dockerfile + " has no ENTRYPOINT [\"java\", ...] line");
    }
    List<String> words = new ObjectMapper().readValue(entrypoint.group(1), new TypeReference<List<String>>() {});
    if (!words.contains(IMAGE_JAR.toString())) {
      throw new IllegalStateException(dockerfile + ": the ENTRYPOINT does not run " + IMAGE_JAR);
    }
    return words;
  }
}
