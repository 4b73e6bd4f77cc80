package io.etcdplatform.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads the samples of a Prometheus text exposition (what etcd serves at /metrics). Only samples:
 * HELP, TYPE and comments are skipped, and a sample's timestamp is ignored. (No maintained Java
 * parser exists; the Prometheus Java client only writes the format.)
 */
final class PrometheusText {

  record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(sample(line));
    }
    return samples;
  }

  /** The sum of a family's samples; empty when the member does not expose it. */
  static OptionalDouble sum(List<Sample> samples, String name) {
    return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).reduce(Double::sum);
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int end = readLabels(line, brace + 1, labels);
      rest = line.substring(end + 1).strip();
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    } else {
      throw new IllegalArgumentException("not a sample: " + line);
    }
    String value = rest.split("\\s+")[0];
    return new Sample(name, labels, parseValue(value));
  }

  /** Reads {@code name="value",...} up to the closing brace; returns the brace's index. */
  private static int readLabels(String line, int from, Map<String, String> labels) {
    int i = from;
    while (i < line.length() && line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String label = line.substring(i, equals).strip();
      int quote = line.indexOf('"', equals);
      StringBuilder value = new StringBuilder();
      int j = quote + 1;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char escaped = line.charAt(++j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      labels.put(label, value.toString());
      i = j + 1;
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
    }
    if (i >= line.length()) {
      throw new IllegalArgumentException("unterminated labels: " + line);
    }
    return i;
  }

  private static double parseValue(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }
}
