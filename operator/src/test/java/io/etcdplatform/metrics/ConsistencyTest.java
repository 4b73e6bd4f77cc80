package io.etcdplatform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdplatform.etcd.MemberHash;
import io.etcdplatform.metrics.Consistency.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistencyTest {

  @Test
  void equalHashesAgree() {
    Consistency c = Consistency.of(42, Map.of("a-0", hash(7), "a-1", hash(7), "a-2", hash(7)));

    assertThat(c.verdict()).isEqualTo(Verdict.CONSISTENT);
    assertThat(c.message()).isEqualTo("3 members agree at revision 42");
  }

  @Test
  void theMemberThatDiffersFromTheMajorityIsNamed() {
    Consistency c = Consistency.of(42, Map.of("a-0", hash(7), "a-1", hash(9), "a-2", hash(7)));

    assertThat(c.verdict()).isEqualTo(Verdict.INCONSISTENT);
    assertThat(c.disagreeing()).containsExactly("a-1");
    assertThat(c.message()).contains("revision 42").contains("a-0=7, a-1=9, a-2=7")
        .contains("a-1 differ from the majority").contains("restore");
  }

  @Test
  void withoutAMajorityEveryMemberIsNamed() {
    Consistency c = Consistency.of(5, Map.of("a-0", hash(1), "a-1", hash(2)));

    assertThat(c.verdict()).isEqualTo(Verdict.INCONSISTENT);
    assertThat(c.disagreeing()).containsExactly("a-0", "a-1");
    assertThat(c.message()).contains("no majority");
  }

  @Test
  void differentCompactionsOrTooFewAnswersDecideNothing() {
    assertThat(Consistency.of(5, Map.of("a-0", new MemberHash(1, 3), "a-1", new MemberHash(2, 4))).verdict())
        .isEqualTo(Verdict.UNKNOWN);
    assertThat(Consistency.of(5, Map.of("a-0", hash(1))).verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  private static MemberHash hash(long value) {
    return new MemberHash(value, 0);
  }
}
