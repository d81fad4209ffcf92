package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Alerts and dashboard panels name only series the broker exports (files/metric-names.txt), and
 * only labels those series carry, so a renamed metric cannot leave a silent alert or empty panel.
 */
class PromQlReferencesTest {

  /** Labels Prometheus attaches to every scraped series, and the histogram bucket bound. */
  private static final Set<String> SCRAPE_LABELS =
      Set.of("namespace", "pod", "instance", "job", "service", "container", "endpoint");

  /**
   * Series Prometheus makes itself for every scrape target, with the labels they carry; BrokerDown
   * watches them because a broker that is down exports nothing.
   */
  private static final Set<String> SCRAPE_SERIES = Set.of("up");

  private final MetricCatalogue catalogue = MetricCatalogue.load();

  @Test
  void catalogueListsEveryPromisedMetricFamily() {
    assertThat(catalogue.families())
        .extracting(MetricCatalogue.Family::name)
        .containsExactlyInAnyOrder(
            "broker_token_request_seconds",
            "broker_upstream_request_seconds",
            "broker_refresh_total",
            "broker_connections",
            "broker_access_token_soonest_expiry_seconds",
            "broker_refresh_token_soonest_expiry_seconds",
            "broker_refresh_last_success_timestamp_seconds",
            "broker_lease_wait_seconds",
            "broker_authorizations_total",
            "broker_vault_errors_total",
            "broker_database_errors_total",
            "broker_audit_dropped_total",
            "broker_audit_queue_depth",
            "broker_caller_auth_failures_total",
            "broker_webhook_deliveries_total",
            "broker_webhook_oldest_pending_age_seconds",
            "broker_refresh_paused",
            "broker_refresh_unsaved_rotations",
            "broker_refresh_unsaved_kept_total",
            "broker_proxy_request_seconds",
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "agroal_active_count",
            "agroal_available_count",
            "agroal_awaiting_count");
  }

  @Test
  void chartRuleExpressionsNameOnlyExportedSeriesAndLabels() {
    List<JsonNode> rules = AlertRules.rendered(Chart.render(Chart.productionValues()));

    assertThat(rules).isNotEmpty();
    rules.forEach(
        r -> assertOnlyKnownReferences(r.path("alert").asText(), r.path("expr").asText()));
  }

  @Test
  void plainRulesFileNamesOnlyExportedSeriesAndLabels() throws Exception {
    JsonNode plain = new YAMLMapper().readTree(Files.readString(MonitoringTest.PLAIN_RULES));

    List<JsonNode> rules = AlertRules.of(plain);
    assertThat(rules).isNotEmpty();
    rules.forEach(
        r -> assertOnlyKnownReferences(r.path("alert").asText(), r.path("expr").asText()));
  }

  @Test
  void dashboardExpressionsNameOnlyExportedSeriesAndLabels() {
    List<String> expressions = Dashboard.expressions(Dashboard.load());

    assertThat(expressions).isNotEmpty();
    expressions.forEach(e -> assertOnlyKnownReferences("dashboard", e));
  }

  @Test
  void dashboardShowsEveryExportedFamily() {
    Set<String> shown = new HashSet<>();
    for (String expression : Dashboard.expressions(Dashboard.load())) {
      for (String series : PromQl.references(expression).series()) {
        catalogue.familyOfSeries(series).ifPresent(f -> shown.add(f.name()));
      }
    }

    assertThat(shown)
        .containsExactlyInAnyOrderElementsOf(
            catalogue.families().stream().map(MetricCatalogue.Family::name).toList());
  }

  @Test
  void readerFindsSeriesAndLabelsButNotFunctionsVariablesOrRanges() {
    PromQl.References references =
        PromQl.references(
            "histogram_quantile(0.99, sum by (le, provider) (rate(broker_lease_wait_seconds_bucket"
                + "{namespace=~\"$namespace\", outcome!=\"x\"}[$__rate_interval]))) > 1e+06"
                + " and on (namespace) time() - broker_connections offset 5m");

    assertThat(references.series())
        .containsExactlyInAnyOrder("broker_lease_wait_seconds_bucket", "broker_connections");
    assertThat(references.labels())
        .containsExactlyInAnyOrder("le", "provider", "namespace", "outcome");
  }

  @Test
  void readerReportsAMisspelledSeries() {
    PromQl.References references =
        PromQl.references("sum(rate(broker_token_requests_total{provider=\"p\"}[5m]))");

    assertThat(references.series()).containsExactly("broker_token_requests_total");
    assertThat(catalogue.familyOfSeries("broker_token_requests_total")).isEmpty();
  }

  @Test
  void readerTakesTheSelectorOutOfAGrafanaLabelValuesQuery() {
    PromQl.References references =
        PromQl.references("label_values(broker_connections{namespace=~\"$namespace\"}, provider)");

    assertThat(references.series()).containsExactly("broker_connections");
    assertThat(references.labels()).containsExactlyInAnyOrder("namespace", "provider");
  }

  private void assertOnlyKnownReferences(String where, String expression) {
    PromQl.References references = PromQl.references(expression);
    assertThat(references.series()).as("series in %s: %s", where, expression).isNotEmpty();

    Set<String> allowedLabels = new HashSet<>(SCRAPE_LABELS);
    List<String> unknown = new ArrayList<>();
    for (String series : references.series()) {
      if (SCRAPE_SERIES.contains(series)) {
        continue;
      }
      catalogue
          .familyOfSeries(series)
          .ifPresentOrElse(f -> allowedLabels.addAll(f.labels()), () -> unknown.add(series));
      if (series.endsWith("_bucket")) {
        allowedLabels.add("le");
      }
    }
    assertThat(unknown)
        .as("series not in metric-names.txt, in %s: %s", where, expression)
        .isEmpty();
    assertThat(allowedLabels)
        .as("labels in %s: %s", where, expression)
        .containsAll(references.labels());
  }
}
