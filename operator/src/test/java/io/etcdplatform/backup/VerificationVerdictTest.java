package io.etcdplatform.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.backup.VerificationVerdict.Found;
import io.etcdplatform.backup.VerificationVerdict.Recorded;
import org.junit.jupiter.api.Test;

class VerificationVerdictTest {

  private static final Recorded RECORDED = new Recorded(1_000, 250L, 0xCAFEL);

  @Test
  void aSnapshotHoldingTheRecordedKeysAndHashAtTheRecordedRevisionPasses() {
    var verdict = VerificationVerdict.of(RECORDED, new Found(1_000, 250, 0xCAFE));

    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.message()).contains("revision 1000", "250 keys", "as recorded");
  }

  /** The snapshot's read began after the recorded status: it holds later revisions too, and passes at the recorded one. */
  @Test
  void aSnapshotThatGoesOnPastTheRecordedRevisionPasses() {
    assertThat(VerificationVerdict.of(RECORDED, new Found(1_042, 250, 0xCAFE)).passed()).isTrue();
  }

  @Test
  void aSnapshotEndingBeforeTheRecordedRevisionFailsTheRevisionCheck() {
    var verdict = VerificationVerdict.of(RECORDED, new Found(999, 250, 0xCAFE));

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).startsWith("revision check failed").contains("999", "1000");
  }

  @Test
  void anotherKeyCountFailsTheKeyCountCheck() {
    var verdict = VerificationVerdict.of(RECORDED, new Found(1_000, 249, 0xCAFE));

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).startsWith("key count check failed").contains("249", "250");
  }

  @Test
  void anotherHashFailsTheHashCheckAfterTheKeyCountPassed() {
    var verdict = VerificationVerdict.of(RECORDED, new Found(1_000, 250, 0xBEEF));

    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).startsWith("HashKV check failed").contains(String.valueOf(0xBEEF),
        String.valueOf(0xCAFE));
  }

  @Test
  void theFirstFailingCheckIsTheOneNamed() {
    assertThat(VerificationVerdict.of(RECORDED, new Found(10, 1, 1)).message()).startsWith("revision check failed");
    assertThat(VerificationVerdict.of(RECORDED, new Found(1_000, 1, 1)).message()).startsWith("key count check failed");
  }

  /** The source member could not say (e.g. its revision was compacted meanwhile): the rest is still checked, and said. */
  @Test
  void valuesNobodyRecordedAreNotComparedAndTheMessageSaysSo() {
    var verdict = VerificationVerdict.of(new Recorded(1_000, null, null), new Found(1_000, 7, 0xBEEF));

    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.message()).contains("not compared", "key count", "HashKV");
    assertThat(VerificationVerdict.of(new Recorded(1_000, null, null), new Found(5, 7, 0xBEEF)).passed()).isFalse();
  }
}
