package io.etcdplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.api.v1alpha1.EtcdClusterSpec;
import io.etcdplatform.api.v1alpha1.SupportedVersions;
import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportedVersionsTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"3.6.0, true", "3.6.16, true", "3.6.99, true", "3.6.100, true", "3.5.19, true", "3.5.35, true",
      "3.5.100, true", "3.5.18, false", "3.5.11, false", "3.5.1, false", "3.5.0, false", "3.4.37, false",
      "3.7.0, false", "4.0.0, false", "v3.6.16, false", "3.6, false", "3.6.016, false", "3.6.16-rc.0, false"})
  void everyThreeSixReleaseAndThreeFiveFromNineteen(String version, boolean supported) {
    assertThat(SupportedVersions.supports(version)).isEqualTo(supported);
  }

  @Test
  void theDefaultAndThePinnedTestReleasesAreSupported() throws IOException {
    assertThat(SupportedVersions.supports(EtcdClusterSpec.DEFAULT_VERSION)).isTrue();
    var pinned = Files.readAllLines(Binaries.repositoryRoot().resolve("scripts/versions.env")).stream()
        .filter(line -> line.startsWith("ETCD_")).map(line -> line.substring(line.indexOf("=v") + 2)).toList();
    assertThat(pinned).hasSize(2).allMatch(SupportedVersions::supports);
  }
}
