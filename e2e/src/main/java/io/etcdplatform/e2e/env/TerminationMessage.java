package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kubelet reports as a container's termination message: what the container wrote at its
 * terminationMessagePath (read here only when that path lies in one of its volumes), else, with
 * FallbackToLogsOnError and a failed container, the end of its output.
 */
final class TerminationMessage {

  private static final Logger log = LoggerFactory.getLogger(TerminationMessage.class);
  private static final int MAX_WRITTEN = 4096;
  private static final int LOG_TAIL = 2048;

  private final String container;
  private final Path file;
  private final boolean fallbackToLogs;
  private final Path output;

  private TerminationMessage(String container, Path file, boolean fallbackToLogs, Path output) {
    this.container = container;
    this.file = file;
    this.fallbackToLogs = fallbackToLogs;
    this.output = output;
  }

  /**
   * Where a container about to start will leave its message; the previous process's is removed.
   *
   * @param container the container's name in logs
   * @param mounts the container's mounts (path in the container -> local file or directory)
   * @param output the file its output goes to
   */
  static TerminationMessage prepare(String container, Container spec, Map<String, Path> mounts, Path output)
      throws IOException {
    Path file = hostPath(spec.getTerminationMessagePath(), mounts);
    if (file != null) {
      Files.deleteIfExists(file);
    }
    return new TerminationMessage(container, file, "FallbackToLogsOnError".equals(spec.getTerminationMessagePolicy()),
        output);
  }

  /** The message of the process that exited with this code; null when there is none. */
  String read(int exitCode) {
    if (file != null && Files.isRegularFile(file)) {
      try {
        String written = Files.readString(file);
        if (!written.isBlank()) {
          return written.substring(0, Math.min(written.length(), MAX_WRITTEN));
        }
      } catch (IOException e) {
        log.info("{}: termination message unreadable: {}", container, e.getMessage());
      }
    }
    return exitCode != 0 && fallbackToLogs ? outputTail() : null;
  }

  /** The local file behind a path in the container, when the path lies in one of its mounts. */
  private static Path hostPath(String containerPath, Map<String, Path> mounts) {
    if (containerPath == null) {
      return null;
    }
    Path path = Path.of(containerPath);
    return mounts.entrySet().stream()
        .filter(m -> path.startsWith(m.getKey()) && !path.equals(Path.of(m.getKey())))
        .max(Comparator.comparingInt(m -> m.getKey().length()))
        .map(m -> m.getValue().resolve(Path.of(m.getKey()).relativize(path).toString()))
        .orElse(null);
  }

  private String outputTail() {
    try {
      String text = Files.readString(output);
      return text.substring(Math.max(0, text.length() - LOG_TAIL));
    } catch (IOException e) {
      return null;
    }
  }
}
