package io.etcdplatform.e2e.disruption;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a series of samples, taken one after another, shows that the cluster lost its quorum:
 * <ul>
 *   <li>a sample is below quorum when fewer than a quorum of the voters answered their status;
 *   <li>a sample below quorum is a loss, except one alone whose timed-out calls could have been the
 *       missing answers (the monitor's own call too slow on a loaded machine): of two samples below
 *       quorum in a row, the second is a loss whatever the reason;
 *   <li>a run of samples in which no answering voter names a voting leader is a loss when it lasts
 *       longer than {@link #LEADERLESS_TOLERANCE} from its first sample to its last: an election takes
 *       about one election timeout (1 s by default), a leadership transfer less.
 * </ul>
 */
public record QuorumVerdict(List<String> losses, int samples, int withVoterMissing, int mostVotersMissing,
    int belowQuorum, Duration longestLeaderless) {

  public static final Duration LEADERLESS_TOLERANCE = Duration.ofSeconds(10);

  public static QuorumVerdict of(List<QuorumSample> samples) {
    List<String> losses = new ArrayList<>(quorumLosses(samples));
    Duration longest = Duration.ZERO;
    for (List<QuorumSample> run : leaderlessRuns(samples)) {
      Duration lasted = Duration.between(run.get(0).at(), run.get(run.size() - 1).at());
      longest = lasted.compareTo(longest) > 0 ? lasted : longest;
      if (lasted.compareTo(LEADERLESS_TOLERANCE) > 0) {
        losses.add("no leader for " + lasted.toMillis() + " ms, from " + run.get(0));
      }
    }
    int missing = (int) samples.stream().filter(s -> s.answering() < s.voters()).count();
    int most = samples.stream().mapToInt(s -> s.voters() - s.answering()).max().orElse(0);
    int below = (int) samples.stream().filter(QuorumSample::belowQuorum).count();
    return new QuorumVerdict(List.copyOf(losses), samples.size(), missing, most, below, longest);
  }

  private static List<String> quorumLosses(List<QuorumSample> samples) {
    List<String> losses = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      QuorumSample sample = samples.get(i);
      boolean afterBelow = i > 0 && samples.get(i - 1).belowQuorum();
      if (sample.belowQuorum() && (afterBelow || !sample.excusedByTimeouts())) {
        losses.add("quorum lost at " + sample);
      }
    }
    return losses;
  }

  private static List<List<QuorumSample>> leaderlessRuns(List<QuorumSample> samples) {
    List<List<QuorumSample>> runs = new ArrayList<>();
    List<QuorumSample> run = new ArrayList<>();
    for (QuorumSample sample : samples) {
      if (!sample.leaderKnown()) {
        run.add(sample);
      } else if (!run.isEmpty()) {
        runs.add(run);
        run = new ArrayList<>();
      }
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }

  public boolean quorumKept() {
    return losses.isEmpty();
  }

  @Override
  public String toString() {
    return samples + " samples, " + withVoterMissing + " with a voter missing (at most " + mostVotersMissing
        + " at once), " + belowQuorum + " below quorum, longest without a leader "
        + longestLeaderless.toMillis() + " ms" + (losses.isEmpty() ? "" : "; losses: " + losses);
  }
}
