package io.etcdplatform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.cluster.QuorumWatch.Watched;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the watch brings a pass: only when the members' answers cross the quorum line. */
class QuorumWatchTest {

  @Test
  void theFirstProbeBringsAPassOnlyWhenItFindsNoQuorumWhereThePassFoundOne() {
    assertThat(watched(true, Optional.empty()).crossedQuorum(false)).isTrue();
    assertThat(watched(true, Optional.empty()).crossedQuorum(true)).isFalse();
    // the pass counted pods too (one going away): etcd's word alone does not contradict it
    assertThat(watched(false, Optional.empty()).crossedQuorum(true)).isFalse();
    assertThat(watched(false, Optional.empty()).crossedQuorum(false)).isFalse();
  }

  @Test
  void laterProbesBringAPassWhenTheyCrossTheLineEitherWay() {
    assertThat(watched(true, Optional.of(true)).crossedQuorum(false)).isTrue();
    assertThat(watched(false, Optional.of(false)).crossedQuorum(true)).isTrue();
    assertThat(watched(false, Optional.of(false)).crossedQuorum(false)).isFalse();
    assertThat(watched(true, Optional.of(true)).crossedQuorum(true)).isFalse();
  }

  @Test
  void aPassThatDisagreesWithSteadyProbesIsNotWokenAgain() {
    Watched afterProbe = watched(true, Optional.empty()).probed(true);
    Watched afterPassCountingAPodGoingAway = new Watched(afterProbe.access(), afterProbe.voters(), false,
        afterProbe.lastProbe());

    assertThat(afterPassCountingAPodGoingAway.crossedQuorum(true)).isFalse();
  }

  private static Watched watched(boolean passHadQuorum, Optional<Boolean> lastProbe) {
    return new Watched(null, Map.of(1L, "http://m-0:2379"), passHadQuorum, lastProbe);
  }
}
