package io.etcdplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What benchmarks read of a process from /proc: its resident memory and its CPU time. */
final class ProcessStats {

  private ProcessStats() {}

  /** This JVM's resident memory after a GC (its settled footprint). */
  static long rssMiB() throws IOException {
    System.gc();
    return rssMiBWithoutGc();
  }

  /** This JVM's resident memory as it is (to sample a peak). */
  static long rssMiBWithoutGc() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElseThrow();
  }

  /** User + system CPU seconds of a process, or of this one ("self") (clock ticks of 1/100 s). */
  static double cpuSeconds(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }
}
