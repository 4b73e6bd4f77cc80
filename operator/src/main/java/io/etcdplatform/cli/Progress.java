package io.etcdplatform.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Follows an object until the operator says it is done, printing a progress line to stderr each
 * time what it says changes; bounded by the command's {@code --timeout}.
 */
final class Progress {

  private static final Duration POLL = Duration.ofSeconds(2);

  /** What one look at the object says: a line for a person, and the outcome once there is one. */
  record Look<T>(String line, Optional<Outcome<T>> outcome) {
    static <T> Look<T> running(String line) {
      return new Look<>(line, Optional.empty());
    }

    static <T> Look<T> done(String line, T result, boolean succeeded) {
      return new Look<>(line, Optional.of(new Outcome<>(result, succeeded)));
    }
  }

  record Outcome<T>(T result, boolean succeeded) {}

  /** The object did not finish within the timeout. */
  static final class TimedOut extends RuntimeException {
    TimedOut(String message) {
      super(message);
    }
  }

  private final PrintStream err;
  private final Clock clock;

  Progress(PrintStream err, Clock clock) {
    this.err = err;
    this.clock = clock;
  }

  <S, T> Outcome<T> follow(String what, Duration timeout, Supplier<S> read, Function<S, Look<T>> look)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    String last = null;
    while (true) {
      Look<T> now = look.apply(read.get());
      if (!now.line().equals(last)) {
        err.println(what + ": " + now.line());
        last = now.line();
      }
      if (now.outcome().isPresent()) {
        return now.outcome().get();
      }
      if (clock.instant().isAfter(deadline)) {
        throw new TimedOut(what + " did not finish within " + timeout + " (last: " + last
            + "); it goes on: follow it with kubectl describe, or run again with a longer --timeout");
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
