package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cases in which the restore init container must not touch anything (no storage is reachable here). */
class RestoreSnapshotTest {

  @TempDir
  Path claim;

  @Test
  void aMemberThatAlreadyHasDataIsNeverRestoredOver() throws Exception {
    Files.createDirectories(claim.resolve("data/member"));

    assertThat(RestoreSnapshot.run(env("orders-0"))).isZero();
    assertThat(claim.resolve("restore.db")).doesNotExist();
  }

  @Test
  void aMemberAddedLaterJoinsEmpty() throws Exception {
    assertThat(RestoreSnapshot.run(env("orders-3"))).isZero();
    assertThat(claim.resolve("data")).doesNotExist();
  }

  private Map<String, String> env(String pod) {
    return Map.of("POD_NAME", pod, "RESTORE_DATA_DIR", claim.resolve("data").toString(),
        "RESTORE_MEMBERS", "orders-0,orders-1,orders-2", "RESTORE_ENDPOINT", "http://127.0.0.1:9",
        "RESTORE_BUCKET", "b", "RESTORE_KEY", "k", "RESTORE_SHA256", "00");
  }
}
