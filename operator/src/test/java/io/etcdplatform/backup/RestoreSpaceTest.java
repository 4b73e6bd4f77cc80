package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.backup.RestoreSpace.Space;
import org.junit.jupiter.api.Test;

/** The space a restore needs on the member's claim, and what the refusal tells a person. */
class RestoreSpaceTest {

  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  @Test
  void aRestoreNeedsTwiceTheSnapshotAndRoomForTheWal() {
    assertThat(RestoreSpace.needed(GIB)).isEqualTo(2 * GIB + 80 * MIB);
  }

  @Test
  void aClaimWithExactlyEnoughSpaceFits() {
    assertThat(RestoreSpace.shortage(GIB, new Space(2 * GIB + 80 * MIB, 8 * GIB), "s3://b/k", "8Gi")).isEmpty();
  }

  /** The case: the snapshot is downloaded onto the same claim, so 5 GiB does not fit the default 8Gi. */
  @Test
  void aFiveGibSnapshotOnTheDefaultClaimNamesTheFieldAndASizeThatWouldDo() {
    Space defaultClaim = new Space(7_800 * MIB, 8 * GIB);

    assertThat(RestoreSpace.shortage(5 * GIB, defaultClaim, "s3://backups/prod/orders/nightly.db", "8Gi"))
        .hasValueSatisfying(message -> assertThat(message)
            .contains("s3://backups/prod/orders/nightly.db (5.0 GiB)")
            .contains("it needs 10.1 GiB free").contains("7.6 GiB is free")
            .contains("nothing was restored")
            .endsWith("raise spec.storage.size (8Gi) to at least 11Gi"));
  }

  @Test
  void smallSizesReadInMebibytes() {
    assertThat(RestoreSpace.readable(80 * MIB)).isEqualTo("80.0 MiB");
    assertThat(RestoreSpace.readable(3 * GIB / 2)).isEqualTo("1.5 GiB");
  }
}
