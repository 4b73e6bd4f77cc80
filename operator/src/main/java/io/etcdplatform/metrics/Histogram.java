package io.etcdplatform.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A Prometheus histogram's cumulative buckets (upper bound -> observations at or below it, the
 * last bound +Inf). Quantiles are estimated as PromQL's histogram_quantile does: linearly within
 * the bucket the rank falls in.
 */
public record Histogram(double[] upperBounds, double[] cumulativeCounts) {

  static final Histogram EMPTY = new Histogram(new double[0], new double[0]);

  /** From {@code le} bound -> count pairs, in any order; several series with equal bounds are summed. */
  static Histogram of(List<double[]> boundAndCount) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (double[] pair : boundAndCount) {
      buckets.merge(pair[0], pair[1], Double::sum);
    }
    return new Histogram(buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray(),
        buckets.values().stream().mapToDouble(Double::doubleValue).toArray());
  }

  public double count() {
    return cumulativeCounts.length == 0 ? 0 : cumulativeCounts[cumulativeCounts.length - 1];
  }

  /**
   * The observations made since {@code earlier}; all of them when the buckets differ or a count
   * went down (the member restarted and its counters began again).
   */
  Histogram since(Histogram earlier) {
    if (earlier == null || !Arrays.equals(upperBounds, earlier.upperBounds)) {
      return this;
    }
    double[] delta = new double[cumulativeCounts.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = cumulativeCounts[i] - earlier.cumulativeCounts[i];
      if (delta[i] < 0) {
        return this;
      }
    }
    return new Histogram(upperBounds, delta);
  }

  /** The estimated q-quantile (0..1), empty without observations; the highest finite bound when it falls in +Inf. */
  public OptionalDouble quantile(double q) {
    double total = count();
    if (total <= 0) {
      return OptionalDouble.empty();
    }
    double rank = q * total;
    for (int i = 0; i < upperBounds.length; i++) {
      if (cumulativeCounts[i] >= rank) {
        if (Double.isInfinite(upperBounds[i])) {
          return OptionalDouble.of(i == 0 ? 0 : upperBounds[i - 1]);
        }
        double lowerBound = i == 0 ? 0 : upperBounds[i - 1];
        double below = i == 0 ? 0 : cumulativeCounts[i - 1];
        double inBucket = cumulativeCounts[i] - below;
        return OptionalDouble.of(inBucket == 0 ? upperBounds[i]
            : lowerBound + (upperBounds[i] - lowerBound) * (rank - below) / inBucket);
      }
    }
    return OptionalDouble.of(upperBounds[upperBounds.length - 1]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Histogram h && Arrays.equals(upperBounds, h.upperBounds)
        && Arrays.equals(cumulativeCounts, h.cumulativeCounts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(upperBounds) + Arrays.hashCode(cumulativeCounts);
  }

  @Override
  public String toString() {
    return "Histogram" + Arrays.toString(upperBounds) + Arrays.toString(cumulativeCounts);
  }
}
