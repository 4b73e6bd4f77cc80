package io.etcdplatform.e2e;

import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The locally built kubectl or helm against one kubeconfig, every call bounded in time. */
public final class Cli {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(180);

  private final List<String> prefix;
  private final Map<String, String> environment;
  private final Path workDir;

  private Cli(List<String> prefix, Map<String, String> environment, Path workDir) {
    this.prefix = prefix;
    this.environment = environment;
    this.workDir = workDir;
  }

  public static Cli kubectl(Path kubeconfig, Path workDir) {
    return new Cli(List.of(Binaries.kubernetes("kubectl").toString(), "--kubeconfig=" + kubeconfig,
        "--request-timeout=30s"), Map.of(), workDir);
  }

  /**
   * kubectl as a person runs the project's plugin: {@code bin/} on the PATH, the kubeconfig in
   * KUBECONFIG (kubectl hands a plugin no flags of its own), the plugin on {@code operatorJar}.
   */
  public static Cli kubectlWithPlugin(Path kubeconfig, Path workDir, Path operatorJar) {
    Path kubectl = Binaries.kubernetes("kubectl");
    return new Cli(List.of(kubectl.toString()), Map.of("KUBECONFIG", kubeconfig.toString(),
        "ETCD_PLATFORM_JAR", operatorJar.toString(),
        "PATH", Binaries.repositoryRoot().resolve("bin") + ":" + kubectl.getParent() + ":" + System.getenv("PATH")),
        workDir);
  }

  /** helm, its cache, configuration and data kept in {@code helmHome} rather than the user's home. */
  public static Cli helm(Path kubeconfig, Path workDir, Path helmHome) {
    return new Cli(List.of(Binaries.helm().toString(), "--kubeconfig=" + kubeconfig),
        Map.of("HELM_CACHE_HOME", helmHome.resolve("cache").toString(),
            "HELM_CONFIG_HOME", helmHome.resolve("config").toString(),
            "HELM_DATA_HOME", helmHome.resolve("data").toString()), workDir);
  }

  /** Runs the command and returns its standard output; a non-zero exit throws with its output. */
  public String run(String... args) throws IOException, InterruptedException {
    Result result = call(args);
    if (result.exitCode != 0) {
      throw new IllegalStateException(name() + " " + String.join(" ", args) + " failed (" + result.exitCode + "):\n"
          + result.output);
    }
    return result.output;
  }

  /** Repeats a call until it succeeds, for at most {@code timeout}. */
  public String waitFor(Duration timeout, String... args) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Result result = call(args);
    while (result.exitCode != 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name() + " " + String.join(" ", args) + " did not succeed within " + timeout
            + ":\n" + result.output);
      }
      Thread.sleep(500);
      result = call(args);
    }
    return result.output;
  }

  /** Runs the command, whatever its exit code: the code and its output (stdout and stderr). */
  public Result attempt(String... args) throws IOException, InterruptedException {
    return call(args);
  }

  private String name() {
    return Path.of(prefix.get(0)).getFileName().toString();
  }

  private Result call(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(args));
    Path output = Files.createTempFile(name(), ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name() + " " + String.join(" ", args) + " did not finish within " + CALL_TIMEOUT);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  public record Result(int exitCode, String output) {}
}
