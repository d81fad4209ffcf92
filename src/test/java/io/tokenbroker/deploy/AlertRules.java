package io.tokenbroker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The alerting rules inside a rendered PrometheusRule or a plain Prometheus rules file. */
final class AlertRules {

  private AlertRules() {}

  /** Every rule of every group under a node that has `groups`. */
  static List<JsonNode> of(JsonNode groupsHolder) {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : groupsHolder.path("groups")) {
      group.path("rules").forEach(rules::add);
    }
    return rules;
  }

  static List<JsonNode> rendered(Manifests manifests) {
    return of(manifests.one("PrometheusRule").path("spec"));
  }
}
