package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageResolverTest {

  private static final String OPERATOR_IMAGE = "ghcr.io/etcd-platform/etcd-operator:test";

  @TempDir
  Path images;

  /** A copy for every container would rewrite the jar under JVMs starting in other containers. */
  @Test
  void theOperatorImageCopiesTheBuiltJarOnceNotForEveryContainer() throws Exception {
    ImageResolver resolver = new ImageResolver(images);
    Path jar = resolver.resolve(OPERATOR_IMAGE, List.of()).orElseThrow().files().get("/opt/etcd-operator")
        .resolve("operator.jar");
    Object copied = Files.readAttributes(jar, BasicFileAttributes.class).fileKey();

    resolver.resolve(OPERATOR_IMAGE, List.of());

    assertThat(Files.readAttributes(jar, BasicFileAttributes.class).fileKey()).as("the same file").isEqualTo(copied);
    assertThat(Files.mismatch(jar, OperatorJar.built())).as("the built jar").isEqualTo(-1);
  }
}
