package io.etcdplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

  @Test
  void readsTheFlagsKubectlUsersWriteInEitherForm() {
    var args = Arguments.parse("restore", "orders-0300", "-n", "shop", "--into=orders-restored", "-o", "json",
        "--timeout", "90s", "--no-wait", "--kubeconfig=/tmp/k", "--context", "staging");

    assertThat(args.command()).isEqualTo("restore");
    assertThat(args.name("backup")).isEqualTo("orders-0300");
    assertThat(args.namespace()).contains("shop");
    assertThat(args.into()).contains("orders-restored");
    assertThat(args.output()).isEqualTo(Arguments.Output.JSON);
    assertThat(args.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(args.follow()).isFalse();
    assertThat(args.kubeconfig()).contains("/tmp/k");
    assertThat(args.context()).contains("staging");
  }

  @Test
  void defaultsAreATableFollowedForFifteenMinutesInTheKubeconfigsNamespace() {
    var args = Arguments.parse("status");

    assertThat(args.names()).isEmpty();
    assertThat(args.namespace()).isEmpty();
    assertThat(args.output()).isEqualTo(Arguments.Output.TABLE);
    assertThat(args.follow()).isTrue();
    assertThat(args.timeout()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aCommandLineThatCannotRunSaysWhatIsWrong() {
    assertThatThrownBy(() -> Arguments.parse()).hasMessage("no command given");
    assertThatThrownBy(() -> Arguments.parse("status", "--colour")).hasMessage("unknown flag --colour");
    assertThatThrownBy(() -> Arguments.parse("status", "-o", "wide")).hasMessage("-o takes json or yaml, not wide");
    assertThatThrownBy(() -> Arguments.parse("defrag", "-n")).hasMessage("-n needs a value");
    assertThatThrownBy(() -> Arguments.parse("defrag", "--timeout", "soon"))
        .hasMessageContaining("--timeout takes a duration such as 90s");
    assertThatThrownBy(() -> Arguments.parse("defrag").name("cluster"))
        .hasMessage("defrag takes one cluster, none given");
    assertThatThrownBy(() -> Arguments.parse("defrag", "a", "b").name("cluster"))
        .hasMessage("defrag takes one cluster, not [a, b]");
  }

  @Test
  void aUsageErrorExitsWithTwoAndPrintsTheUsage() {
    var err = new java.io.ByteArrayOutputStream();
    int code = KubectlEtcd.run(new String[] {"status", "--colour"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
        new java.io.PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: unknown flag --colour").contains("Usage: kubectl etcd COMMAND");
  }
}
