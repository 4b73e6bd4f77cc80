package io.etcdplatform.e2e.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumVerdictTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void oneMemberDownOfThreeKeepsTheQuorum() {
    QuorumVerdict verdict = QuorumVerdict.of(List.of(sample(0, 3, 3, 0), sample(1, 3, 2, 0), sample(2, 3, 2, 0)));

    assertThat(verdict.quorumKept()).isTrue();
    assertThat(verdict.belowQuorum()).isZero();
    assertThat(verdict.withVoterMissing()).isEqualTo(2);
    assertThat(verdict.mostVotersMissing()).isOne();
  }

  @Test
  void twoMembersDownOfThreeIsALossAtOnceWhenTheyRefused() {
    QuorumVerdict verdict = QuorumVerdict.of(List.of(sample(0, 3, 3, 0), sample(1, 3, 1, 0), sample(2, 3, 3, 0)));

    assertThat(verdict.losses()).singleElement().asString().contains("1 of 3 voters answered");
  }

  @Test
  void oneSampleShortOnlyByTheMonitorsOwnTimeoutsIsForgiven() {
    QuorumVerdict verdict = QuorumVerdict.of(List.of(sample(0, 5, 5, 0), sample(1, 5, 2, 1), sample(2, 5, 4, 0)));

    assertThat(verdict.quorumKept()).isTrue();
    assertThat(verdict.belowQuorum()).isOne();
  }

  @Test
  void twoSamplesInARowBelowQuorumAreALossWhateverTheReason() {
    QuorumVerdict verdict = QuorumVerdict.of(List.of(sample(0, 3, 1, 2), sample(1, 3, 1, 2), sample(2, 3, 3, 0)));

    assertThat(verdict.losses()).hasSize(1);
  }

  @Test
  void tooFewAnswersEvenWithTheTimeoutsAreALoss() {
    QuorumVerdict verdict = QuorumVerdict.of(List.of(sample(0, 5, 1, 1)));

    assertThat(verdict.quorumKept()).isFalse();
  }

  @Test
  void anElectionIsNoLossButALeaderMissingLongerThanTheToleranceIs() {
    List<QuorumSample> election = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      election.add(new QuorumSample(T0.plusMillis(500L * i), 3, 3, 0, i == 0 || i == 3));
    }
    List<QuorumSample> noLeader = new ArrayList<>();
    long samples = QuorumVerdict.LEADERLESS_TOLERANCE.toMillis() / 500 + 2;
    for (int i = 0; i < samples; i++) {
      noLeader.add(new QuorumSample(T0.plusMillis(500L * i), 3, 3, 0, false));
    }

    assertThat(QuorumVerdict.of(election).quorumKept()).isTrue();
    assertThat(QuorumVerdict.of(election).longestLeaderless()).isEqualTo(Duration.ofMillis(500));
    assertThat(QuorumVerdict.of(noLeader).losses()).singleElement().asString().startsWith("no leader for");
  }

  private static QuorumSample sample(int second, int voters, int answering, int timedOut) {
    return new QuorumSample(T0.plusSeconds(second), voters, answering, timedOut, true);
  }
}
