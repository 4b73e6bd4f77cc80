package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeFilesTest {

  private static final Map<String, byte[]> DATA = Map.of("tls.key", bytes("key"), "tls.crt", bytes("crt"));

  @TempDir
  Path dir;

  @Test
  void everyKeyWith0644ByDefault() throws Exception {
    VolumeFiles.write(dir, VolumeFiles.of(DATA, null, null));

    assertThat(VolumeOwnership.mode(dir.resolve("tls.key"))).isEqualTo(0644);
    assertThat(VolumeOwnership.mode(dir.resolve("tls.crt"))).isEqualTo(0644);
    assertThat(dir.resolve("tls.key")).hasContent("key");
  }

  @Test
  void theDefaultModeForEveryKey() throws Exception {
    VolumeFiles.write(dir, VolumeFiles.of(DATA, List.of(), 0400));

    assertThat(VolumeOwnership.mode(dir.resolve("tls.key"))).isEqualTo(0400);
  }

  @Test
  void onlyTheItemsAtTheirPathsWithTheirModes() throws Exception {
    VolumeFiles.write(dir, VolumeFiles.of(DATA, List.of(
        new KeyToPathBuilder().withKey("tls.key").withPath("private/server.key").withMode(0600).build(),
        new KeyToPathBuilder().withKey("tls.crt").withPath("server.crt").build()), 0440));

    assertThat(VolumeOwnership.mode(dir.resolve("private/server.key"))).isEqualTo(0600);
    assertThat(VolumeOwnership.mode(dir.resolve("server.crt"))).isEqualTo(0440);
    assertThat(VolumeOwnership.mode(dir.resolve("private"))).isEqualTo(0755);
    assertThat(dir.resolve("tls.key")).doesNotExist();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
