package io.etcdplatform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdplatform.testkit.Binaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards as Grafana lays them out: a panel ID Grafana uses to address a panel (links,
 * repeats) is unique, and no panel covers another (Grafana would push one aside where its author
 * did not put it). Their queries are checked against a real Prometheus by MonitoringEndToEndTest.
 */
class DashboardLayoutTest {

  private record Box(String title, int x, int y, int w, int h) {
    boolean overlaps(Box o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  @Test
  void everyPanelHasItsOwnIdAndPlaceWithinTheGrid() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path dashboard : dashboards()) {
      Set<Integer> ids = new HashSet<>();
      List<Box> boxes = new ArrayList<>();
      for (JsonNode panel : new ObjectMapper().readTree(dashboard.toFile()).path("panels")) {
        String title = dashboard.getFileName() + " \"" + panel.path("title").asText() + "\"";
        if (!ids.add(panel.path("id").asInt())) {
          problems.add(title + ": id " + panel.path("id").asInt() + " is already used");
        }
        JsonNode grid = panel.path("gridPos");
        Box box = new Box(title, grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
            grid.path("h").asInt());
        if (box.x() + box.w() > 24) {
          problems.add(title + ": wider than Grafana's 24 columns");
        }
        boxes.stream().filter(box::overlaps).forEach(other -> problems.add(title + " covers " + other.title()));
        boxes.add(box);
      }
    }
    assertThat(problems).isEmpty();
  }

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(Binaries.repositoryRoot().resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
