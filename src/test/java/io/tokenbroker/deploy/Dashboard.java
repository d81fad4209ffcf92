package io.tokenbroker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard shipped in helm/token-broker/files/grafana-dashboard.json. */
final class Dashboard {

  static final String FILE = "files/grafana-dashboard.json";

  private Dashboard() {}

  static JsonNode load() {
    try {
      return new ObjectMapper().readTree(Chart.file(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("the dashboard is not valid JSON", e);
    }
  }

  /** Panels, including those nested in collapsed rows. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** Every PromQL text: panel targets and template-variable queries. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        expressions.add(query.isObject() ? query.path("query").asText() : query.asText());
      }
    }
    return expressions;
  }
}
