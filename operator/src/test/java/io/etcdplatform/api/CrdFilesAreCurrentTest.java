package io.etcdplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD YAML is generated from the model on every build (target/crds); the committed copies
 * users apply must be the same. Fix a failure with `make crds`.
 */
class CrdFilesAreCurrentTest {

  @ParameterizedTest
  @ValueSource(strings = {"crds", "charts/etcd-operator/crds"})
  void committedCrdsMatchTheGeneratedOnes(String committedDir) throws IOException {
    Path generated = Path.of("target", "crds");
    Path committed = Binaries.repositoryRoot().resolve(committedDir);

    assertThat(fileNames(committed)).as("CRD files in %s (run `make crds`)", committedDir)
        .isEqualTo(fileNames(generated)).isNotEmpty();
    for (String name : fileNames(generated)) {
      assertThat(Files.readString(committed.resolve(name)))
          .as("%s/%s is stale: run `make crds` and commit the result", committedDir, name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static java.util.List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
  }
}
