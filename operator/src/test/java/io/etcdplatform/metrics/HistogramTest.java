package io.etcdplatform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  private static Histogram of(double... boundsAndCounts) {
    List<double[]> pairs = new java.util.ArrayList<>();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      pairs.add(new double[] {boundsAndCounts[i], boundsAndCounts[i + 1]});
    }
    return Histogram.of(pairs);
  }

  @Test
  void quantilesInterpolateWithinTheBucketAsPromqlDoes() {
    // 100 observations: 50 up to 1 ms, 40 in (1, 2] ms, 10 in (2, 4] ms
    Histogram h = of(0.001, 50, 0.002, 90, 0.004, 100, INF, 100);

    assertThat(h.quantile(0.5).getAsDouble()).isCloseTo(0.001, within(1e-12));
    assertThat(h.quantile(0.7).getAsDouble()).isCloseTo(0.0015, within(1e-12));
    assertThat(h.quantile(0.99).getAsDouble()).isCloseTo(0.0038, within(1e-12));
  }

  @Test
  void aRankInTheInfiniteBucketIsTheHighestFiniteBound() {
    assertThat(of(0.001, 1, 0.002, 1, INF, 10).quantile(0.99).getAsDouble()).isEqualTo(0.002);
  }

  @Test
  void withoutObservationsThereIsNoQuantile() {
    assertThat(of(0.001, 0, INF, 0).quantile(0.99)).isEmpty();
    assertThat(Histogram.EMPTY.quantile(0.99)).isEmpty();
  }

  @Test
  void sinceKeepsTheObservationsOfTheIntervalOnly() {
    Histogram before = of(0.001, 100, 0.01, 100, INF, 100);
    Histogram now = of(0.001, 100, 0.01, 110, INF, 110);

    Histogram interval = now.since(before);

    assertThat(interval.count()).isEqualTo(10);
    assertThat(interval.quantile(0.99).getAsDouble()).as("all ten were slow").isGreaterThan(0.001);
    assertThat(now.quantile(0.99).getAsDouble()).as("the lifetime hides them").isLessThan(0.01);
  }

  @Test
  void aCounterThatWentDownMeansARestartAndEverythingCounts() {
    Histogram before = of(0.001, 100, INF, 100);
    Histogram restarted = of(0.001, 3, INF, 5);

    assertThat(restarted.since(before)).isEqualTo(restarted);
  }

  @Test
  void seriesWithEqualBoundsAreSummed() {
    Histogram merged = of(0.001, 1, INF, 2, 0.001, 3, INF, 4);

    assertThat(merged.count()).isEqualTo(6);
    assertThat(merged.upperBounds()).containsExactly(0.001, INF);
  }
}
