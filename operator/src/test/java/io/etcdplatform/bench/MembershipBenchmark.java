package io.etcdplatform.bench;

import io.etcdplatform.members.PlannerSettings;
import io.etcdplatform.testing.EtcdProcessCluster;
import io.etcdplatform.testing.MembershipDriver;
import io.etcdplatform.testkit.Binaries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * `make bench`: membership operations on real etcd processes, each beside the time to start the
 * same number of members directly as a static cluster (median of three, after a warm-up),
 * measured in the same run. Prints a table; asserts nothing. Operations run once each: expect a
 * few tenths of a second of noise; the operator's passes are 300 ms apart here.
 */
public final class MembershipBenchmark {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final PlannerSettings SETTINGS = new PlannerSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), 1000);
  private static final Path WORK = Path.of("target", "bench").toAbsolutePath();

  private record Row(String operation, Duration time, Duration baseline) {}

  public static void main(String[] args) {
    Path etcd36 = Binaries.etcd("etcd");
    Path etcd35 = Binaries.etcd35("etcd");
    List<Row> rows = new ArrayList<>();

    Duration static3 = StaticCluster.startTime(etcd36, 3, WORK);
    Duration static5 = StaticCluster.startTime(etcd36, 5, WORK);
    rows.add(new Row("bootstrap 3 members through the planner", timed(etcd36, 0, d -> d.converge(3, TIMEOUT)), static3));
    rows.add(new Row("scale 3 -> 5", timed(etcd36, 3, d -> d.converge(5, TIMEOUT)), static5));
    rows.add(new Row("scale 5 -> 3", timed(etcd36, 5, d -> d.converge(3, TIMEOUT)), static3));
    rows.add(new Row("replace a wiped member (incl. 5 s grace)", timed(etcd36, 3, (d, c) -> {
      c.crashAndWipe(c.name(1));
      d.converge(3, TIMEOUT);
    }), static3));
    rows.add(new Row("rolling upgrade 3.5 -> 3.6, 3 members", timed(etcd35, 3, (d, c) -> {
      c.useBinary(etcd36);
      d.converge(3, TIMEOUT);
    }), static3));

    System.out.printf("%n%-44s %10s %26s %8s%n", "operation", "time", "static start, same size", "ratio");
    for (Row row : rows) {
      System.out.printf("%-44s %9.1fs %25.1fs %7.1fx%n", row.operation(), seconds(row.time()), seconds(row.baseline()),
          seconds(row.time()) / seconds(row.baseline()));
    }
  }

  private static Duration timed(Path etcd, int startWith, Consumer<MembershipDriver> operation) {
    return timed(etcd, startWith, (driver, cluster) -> operation.accept(driver));
  }

  private interface Operation {
    void run(MembershipDriver driver, EtcdProcessCluster cluster);
  }

  /** Forms a cluster of {@code startWith} members (unless 0), then times the operation on it. */
  private static Duration timed(Path etcd, int startWith, Operation operation) {
    try (EtcdProcessCluster cluster = new EtcdProcessCluster("b", WORK.resolve("op"), 80, etcd);
         MembershipDriver driver = new MembershipDriver(cluster, SETTINGS)) {
      if (startWith > 0) {
        driver.converge(startWith, TIMEOUT);
      }
      Instant start = Instant.now();
      operation.run(driver, cluster);
      return Duration.between(start, Instant.now());
    }
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
