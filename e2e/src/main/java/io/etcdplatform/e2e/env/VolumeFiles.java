package io.etcdplatform.e2e.env;

import io.fabric8.kubernetes.api.model.KeyToPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a Secret, ConfigMap, downwardAPI or projected volume as a kubelet writes them: every
 * key (or only the items listed, at their paths) with the item's mode, else the volume's
 * defaultMode, else 0644; directories 0755.
 */
final class VolumeFiles {

  static final int DEFAULT_MODE = 0644;
  private static final int DIRECTORY_MODE = 0755;

  private VolumeFiles() {}

  /** A file to write: its path in the volume, content and mode. */
  record File(String path, byte[] content, int mode) {}

  /** The files of a map of keys, selected and placed by items when there are any. */
  static List<File> of(Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode) {
    int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
    if (items == null || items.isEmpty()) {
      return new LinkedHashMap<>(data).entrySet().stream().map(e -> new File(e.getKey(), e.getValue(), mode)).toList();
    }
    return items.stream()
        .filter(item -> data.containsKey(item.getKey()))
        .map(item -> new File(item.getPath(), data.get(item.getKey()), item.getMode() == null ? mode : item.getMode()))
        .toList();
  }

  static void write(Path dir, List<File> files) throws IOException {
    for (File file : files) {
      Path target = dir.resolve(file.path());
      Files.createDirectories(target.getParent());
      Files.setAttribute(target.getParent(), "unix:mode", DIRECTORY_MODE);
      Files.write(target, file.content());
      Files.setAttribute(target, "unix:mode", file.mode());
    }
  }
}
