package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {

  @TempDir
  Path dir;

  /** Pods' /etc/hosts are bind mounts of this inode; a lookup must never find it empty or torn. */
  @Test
  void fewerNamesAreWrittenOverTheSameFileWithoutShorteningIt() throws Exception {
    HostsFile hosts = new HostsFile(dir.resolve("hosts"));
    List<Pod> five = IntStream.range(0, 5).mapToObj(HostsFileTest::member).toList();
    Map<String, String> ips = Map.of("uid-0", "127.0.1.10", "uid-1", "127.0.1.11", "uid-2", "127.0.1.12",
        "uid-3", "127.0.1.13", "uid-4", "127.0.1.14");
    hosts.update(five, ips, List.of(), pod -> true);
    Object inode = Files.readAttributes(hosts.path(), BasicFileAttributes.class).fileKey();
    long fiveLength = Files.size(hosts.path());

    hosts.update(five.subList(0, 2), ips, List.of(), pod -> true);

    assertThat(Files.readAttributes(hosts.path(), BasicFileAttributes.class).fileKey()).isEqualTo(inode);
    assertThat(Files.size(hosts.path())).as("never shortened").isEqualTo(fiveLength);
    assertThat(names(hosts.path())).containsExactly(
        "127.0.0.1 localhost",
        "::1 localhost ip6-localhost",
        "127.0.1.10 m-0.m.ns.svc m-0.m.ns.svc.cluster.local",
        "127.0.1.11 m-1.m.ns.svc m-1.m.ns.svc.cluster.local");
  }

  @Test
  void moreNamesThanBeforeGrowTheFile() throws Exception {
    HostsFile hosts = new HostsFile(dir.resolve("hosts"));
    hosts.update(List.of(member(0)), Map.of("uid-0", "127.0.1.10", "uid-1", "127.0.1.11"), List.of(), pod -> true);
    hosts.update(List.of(member(0), member(1)), Map.of("uid-0", "127.0.1.10", "uid-1", "127.0.1.11"), List.of(),
        pod -> true);

    assertThat(names(hosts.path())).hasSize(4).contains("127.0.1.11 m-1.m.ns.svc m-1.m.ns.svc.cluster.local");
  }

  /** The lines a resolver reads: neither comments nor blank lines. */
  private static List<String> names(Path file) throws Exception {
    return Files.readAllLines(file).stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
  }

  private static Pod member(int ordinal) {
    return new PodBuilder()
        .withNewMetadata().withName("m-" + ordinal).withNamespace("ns").withUid("uid-" + ordinal).endMetadata()
        .withNewSpec().withHostname("m-" + ordinal).withSubdomain("m").endSpec()
        .build();
  }
}
