package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountScriptTest {

  @TempDir
  Path dir;

  @Test
  void joinsItsCgroupMountsReadOnlyWhereToldAndExecsAsItsUser() throws Exception {
    Map<String, Path> mounts = new LinkedHashMap<>();
    mounts.put("/var/lib/etcd", dir.resolve("claim"));
    mounts.put("/etc/etcd/tls", dir.resolve("secret"));

    String script = MountScript.of(new HostsFile(dir.resolve("hosts")), mounts, Set.of("/etc/etcd/tls"),
        Optional.of(Path.of("/sys/fs/cgroup/memory/etcd-platform/uid-etcd")),
        new ProcessIdentity(65532, 65532, List.of(65532L)), List.of("/usr/local/bin/etcd", "--name=a b"));

    List<String> lines = script.lines().toList();
    assertThat(lines.get(1)).isEqualTo("echo $$ > '/sys/fs/cgroup/memory/etcd-platform/uid-etcd/cgroup.procs'");
    assertThat(lines).containsSubsequence("mount --bind '" + dir.resolve("secret") + "' '/etc/etcd/tls'",
        "mount -o remount,bind,ro '/etc/etcd/tls'");
    assertThat(lines).doesNotContain("mount -o remount,bind,ro '/var/lib/etcd'");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("exec '/usr/bin/setpriv' '--reuid=65532' '--regid=65532' "
        + "'--groups=65532' '--' '/usr/local/bin/etcd' '--name=a b'");
  }
}
