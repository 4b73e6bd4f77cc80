package io.etcdplatform.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code kubectl etcd} command line: the command, its names, and the flags kubectl users expect
 * ({@code -n}, {@code -o json|yaml}, {@code --kubeconfig}, {@code --context}).
 *
 * @param names the command's positional arguments after the command itself
 * @param follow whether to follow progress until done (false with {@code --no-wait})
 */
record Arguments(String command, List<String> names, Optional<String> namespace, Output output,
    Optional<String> kubeconfig, Optional<String> context, Optional<String> into, Optional<String> backupName,
    boolean verify, boolean follow, Duration timeout) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

  enum Output { TABLE, JSON, YAML }

  /** A command line that cannot be run (exit code 2). */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  static Arguments parse(String... args) {
    List<String> names = new ArrayList<>();
    String namespace = null;
    Output output = Output.TABLE;
    String kubeconfig = null;
    String context = null;
    String into = null;
    String backupName = null;
    boolean verify = false;
    boolean follow = true;
    Duration timeout = DEFAULT_TIMEOUT;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean inline = arg.contains("=") && arg.startsWith("-");
      switch (flag) {
        case "-n", "--namespace" -> namespace = value(args, i, inline, flag);
        case "-o", "--output" -> output = output(value(args, i, inline, flag));
        case "--kubeconfig" -> kubeconfig = value(args, i, inline, flag);
        case "--context" -> context = value(args, i, inline, flag);
        case "--into" -> into = value(args, i, inline, flag);
        case "--name" -> backupName = value(args, i, inline, flag);
        case "--timeout" -> timeout = timeout(value(args, i, inline, flag));
        case "--verify" -> {
          verify = true;
          continue;
        }
        case "--no-wait" -> {
          follow = false;
          continue;
        }
        default -> {
          if (arg.startsWith("-")) {
            throw new UsageError("unknown flag " + arg);
          }
          names.add(arg);
          continue;
        }
      }
      if (!inline) {
        i++;
      }
    }
    if (names.isEmpty()) {
      throw new UsageError("no command given");
    }
    return new Arguments(names.get(0), List.copyOf(names.subList(1, names.size())), Optional.ofNullable(namespace),
        output, Optional.ofNullable(kubeconfig), Optional.ofNullable(context), Optional.ofNullable(into),
        Optional.ofNullable(backupName), verify, follow, timeout);
  }

  /** The one name the command takes, e.g. the cluster of {@code defrag <cluster>}. */
  String name(String what) {
    if (names.size() != 1) {
      throw new UsageError(command + " takes one " + what + (names.isEmpty() ? ", none given" : ", not " + names));
    }
    return names.get(0);
  }

  private static String value(String[] args, int i, boolean inline, String flag) {
    if (inline) {
      return args[i].substring(args[i].indexOf('=') + 1);
    }
    if (i + 1 >= args.length) {
      throw new UsageError(flag + " needs a value");
    }
    return args[i + 1];
  }

  private static Output output(String value) {
    return switch (value) {
      case "json" -> Output.JSON;
      case "yaml" -> Output.YAML;
      default -> throw new UsageError("-o takes json or yaml, not " + value);
    };
  }

  /** A duration as kubectl writes them: 90s, 10m, 1h. */
  private static Duration timeout(String value) {
    try {
      long amount = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new UsageError("--timeout takes a duration such as 90s, 10m or 1h, not " + value);
    }
  }
}
