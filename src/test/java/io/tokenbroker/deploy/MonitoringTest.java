package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus scrapes the broker where it exports, and the shipped alerts are the promised ones. */
class MonitoringTest {

  static final List<String> REQUIRED_ALERTS =
      List.of(
          "BrokerRefreshFailuresRising",
          "BrokerConnectionReauthorizationRequired",
          "BrokerRefreshTokenExpiringSoon",
          "BrokerUpstreamErrorRateHigh",
          "BrokerTokenLatencyHigh",
          "BrokerRefreshStalled");

  static final Path PLAIN_RULES = Path.of("deploy", "prometheus", "token-broker-rules.yaml");

  @Test
  void serviceMonitorScrapesTheMetricsPathOnTheServicesHttpPort() {
    Manifests manifests = Chart.render(Chart.productionValues());
    JsonNode service = manifests.one("Service");
    JsonNode monitor = manifests.one("ServiceMonitor").path("spec");

    assertThat(Manifests.strings(service.path("metadata").path("labels")))
        .containsAllEntriesOf(Manifests.matchLabels(monitor.path("selector")));
    assertThat(monitor.path("namespaceSelector").path("matchNames"))
        .extracting(JsonNode::asText)
        .containsExactly(Chart.NAMESPACE);
    JsonNode endpoint = monitor.path("endpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
    assertThat(service.path("spec").path("ports"))
        .extracting(p -> p.path("name").asText())
        .contains(endpoint.path("port").asText());
  }

  @Test
  void ruleCarriesEveryRequiredAlert() {
    List<JsonNode> rules = AlertRules.rendered(Chart.render(Chart.productionValues()));

    assertThat(rules).extracting(r -> r.path("alert").asText()).containsAll(REQUIRED_ALERTS);
  }

  @Test
  void everyAlertHasASeverityAnExplanationAndItsRunbookAnchor() {
    List<JsonNode> rules = AlertRules.rendered(Chart.render(Chart.productionValues()));

    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      assertThat(rule.path("labels").path("severity").asText())
          .as(alert)
          .isIn("warning", "critical");
      assertThat(rule.path("labels").path("team").asText()).as(alert).isEqualTo("platform");
      assertThat(rule.path("for").asText()).as(alert).isNotBlank();
      assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
      assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
      assertThat(rule.path("annotations").path("runbook_url").asText())
          .as(alert)
          .endsWith("docs/operations.md#" + alert.toLowerCase());
    }
  }

  @Test
  void thresholdsComeFromTheValues() {
    Map<String, Object> values =
        Map.of(
            "prometheusRule.enabled",
            true,
            "prometheusRule.thresholds.refreshTokenExpirySeconds",
            172800);

    JsonNode expiring =
        AlertRules.rendered(Chart.render(values)).stream()
            .filter(r -> r.path("alert").asText().equals("BrokerRefreshTokenExpiringSoon"))
            .findFirst()
            .orElseThrow();
    assertThat(expiring.path("expr").asText()).contains("< 172800");
  }

  @Test
  void plainRulesFileEqualsTheChartsRuleGroupsAtDefaultThresholds() throws Exception {
    JsonNode rendered = Chart.render(PlainRulesFile.VALUES).one("PrometheusRule").path("spec");
    JsonNode plain = new YAMLMapper().readTree(Files.readString(PLAIN_RULES));

    assertThat(plain).isEqualTo(rendered);
  }

  @Test
  void dashboardConfigMapCarriesTheDashboardFileUnchanged() throws Exception {
    Manifests manifests = Chart.render(Chart.productionValues());
    JsonNode configMap =
        manifests.ofKind("ConfigMap").stream()
            .filter(c -> c.path("data").has("token-broker.json"))
            .findFirst()
            .orElseThrow();

    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    JsonNode embedded =
        new ObjectMapper().readTree(configMap.path("data").path("token-broker.json").asText());
    assertThat(embedded).isEqualTo(Dashboard.load());
  }
}
