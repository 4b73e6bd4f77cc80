package io.etcdplatform.e2e;

import io.etcdplatform.testing.Binaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The locally built kubectl against one kubeconfig, every call bounded in time. */
public final class Kubectl {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Path kubeconfig;
  private final Path workDir;

  public Kubectl(Path kubeconfig, Path workDir) {
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
  }

  /** Runs kubectl and returns its standard output; a non-zero exit throws with its output. */
  public String run(String... args) throws IOException, InterruptedException {
    Result result = call(args);
    if (result.exitCode != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed (" + result.exitCode + "):\n"
          + result.output);
    }
    return result.output;
  }

  /** Repeats a kubectl call until it succeeds, for at most {@code timeout}. */
  public String waitFor(Duration timeout, String... args) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Result result = call(args);
    while (result.exitCode != 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not succeed within " + timeout
            + ":\n" + result.output);
      }
      Thread.sleep(500);
      result = call(args);
    }
    return result.output;
  }

  private Result call(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Binaries.kubernetes("kubectl").toString(),
        "--kubeconfig=" + kubeconfig, "--request-timeout=30s"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("kubectl", ".out");
    try {
      Process process = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish within " + CALL_TIMEOUT);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private record Result(int exitCode, String output) {}
}
