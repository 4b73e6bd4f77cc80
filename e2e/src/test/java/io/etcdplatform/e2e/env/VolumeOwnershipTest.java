package io.etcdplatform.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs to change a file's group to any gid: the agent runs as root, and so do these tests. */
class VolumeOwnershipTest {

  private static final long FS_GROUP = 65532;

  @TempDir
  Path root;

  @Test
  void groupOwnershipSetgidDirectoriesAndGroupReadWriteFiles() throws Exception {
    Path member = Files.createDirectories(root.resolve("member"));
    Path wal = Files.writeString(member.resolve("wal"), "x");
    Files.setAttribute(wal, "unix:mode", 0600);

    VolumeOwnership.apply(root, FS_GROUP, null, false);

    assertThat(gid(root)).isEqualTo(FS_GROUP);
    assertThat(gid(wal)).isEqualTo(FS_GROUP);
    assertThat(VolumeOwnership.mode(member) & 02070).isEqualTo(02070);
    assertThat(VolumeOwnership.mode(wal)).isEqualTo(0660);
  }

  @Test
  void aReadOnlyVolumeGetsGroupReadOnly() throws Exception {
    Path key = Files.writeString(root.resolve("tls.key"), "k");
    Files.setAttribute(key, "unix:mode", 0400);

    VolumeOwnership.apply(root, FS_GROUP, "Always", true);

    assertThat(VolumeOwnership.mode(key)).isEqualTo(0440);
    assertThat(VolumeOwnership.mode(root) & 02070).isEqualTo(02050);
  }

  @Test
  void onRootMismatchLeavesAVolumeWhoseRootHasTheGroup() throws Exception {
    VolumeOwnership.apply(root, FS_GROUP, "OnRootMismatch", false);
    Path later = Files.writeString(root.resolve("later"), "x");
    Files.setAttribute(later, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);

    VolumeOwnership.apply(root, FS_GROUP, "OnRootMismatch", false);

    assertThat(gid(later)).isZero();
  }

  @Test
  void onRootMismatchChangesAVolumeWhoseRootHasAnotherGroup() throws Exception {
    Path file = Files.writeString(root.resolve("file"), "x");

    VolumeOwnership.apply(root, FS_GROUP, "OnRootMismatch", false);

    assertThat(gid(file)).isEqualTo(FS_GROUP);
  }

  private static long gid(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
  }
}
