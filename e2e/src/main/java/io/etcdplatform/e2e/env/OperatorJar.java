package io.etcdplatform.e2e.env;

import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The operator as the build leaves it: what the operator image and an operator process run. */
public final class OperatorJar {

  private OperatorJar() {}

  /** The shaded jar the operator module builds (operator/target/operator-*-all.jar). */
  public static Path built() {
    try (Stream<Path> files = Files.list(Binaries.repositoryRoot().resolve("operator/target"))) {
      return files.filter(f -> f.getFileName().toString().matches("operator-.*-all\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("operator/target/operator-*-all.jar is missing: build it with "
              + "./mvnw -pl operator package"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
