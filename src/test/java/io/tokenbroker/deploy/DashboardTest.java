package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard is importable and shows what an SRE looks for first. */
class DashboardTest {

  private final JsonNode dashboard = Dashboard.load();

  @Test
  void dashboardHasAStableUidAndUniquePanelIds() {
    List<JsonNode> panels = Dashboard.panels(dashboard);

    assertThat(dashboard.path("uid").asText()).isEqualTo("token-broker");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(panels).extracting(p -> p.path("id").asInt()).doesNotHaveDuplicates();
  }

  @Test
  void everyQueryPanelUsesTheSelectableDataSource() {
    for (JsonNode panel : Dashboard.panels(dashboard)) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
    }
    assertThat(dashboard.path("templating").path("list"))
        .extracting(v -> v.path("name").asText())
        .contains("datasource", "namespace", "provider");
  }

  @Test
  void dashboardCoversTrafficErrorsLatencyRefreshConnectionsAndExpiry() {
    List<String> expressions = Dashboard.expressions(dashboard);

    assertThat(expressions)
        .anyMatch(e -> e.contains("rate(broker_token_request_seconds_count"))
        .anyMatch(e -> e.contains("outcome=~\"error|upstream_unavailable\""))
        .anyMatch(
            e -> e.startsWith("histogram_quantile(0.99") && e.contains("broker_token_request"))
        .anyMatch(e -> e.startsWith("histogram_quantile(0.5") && e.contains("broker_token_request"))
        .anyMatch(e -> e.contains("broker_refresh_total") && e.contains("outcome"))
        .anyMatch(e -> e.contains("by (status)") && e.contains("broker_connections"))
        .anyMatch(e -> e.contains("broker_refresh_token_soonest_expiry_seconds"));
  }
}
