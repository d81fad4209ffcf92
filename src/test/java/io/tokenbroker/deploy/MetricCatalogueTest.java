package io.tokenbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading metric-names.txt, and the names each family has in PromQL and in the exposition. */
class MetricCatalogueTest {

  @Test
  void histogramOffersBucketCountAndSumSeries() {
    MetricCatalogue catalogue =
        MetricCatalogue.parse("broker_lease_wait_seconds histogram provider");

    MetricCatalogue.Family family =
        catalogue.familyOfSeries("broker_lease_wait_seconds_bucket").orElseThrow();
    assertThat(family.seriesNames())
        .containsExactly(
            "broker_lease_wait_seconds_bucket",
            "broker_lease_wait_seconds_count",
            "broker_lease_wait_seconds_sum");
    assertThat(catalogue.familyOfSeries("broker_lease_wait_seconds")).isEmpty();
    assertThat(family.expositionName()).isEqualTo("broker_lease_wait_seconds");
  }

  @Test
  void counterTypeLineDropsTheTotalSuffix() {
    MetricCatalogue catalogue =
        MetricCatalogue.parse("# comment\n\nbroker_database_errors_total counter -\n");

    MetricCatalogue.Family family = catalogue.families().get(0);
    assertThat(family.labels()).isEmpty();
    assertThat(family.expositionName()).isEqualTo("broker_database_errors");
  }

  @Test
  void lineWithoutTypeAndLabelsIsRefused() {
    assertThatThrownBy(() -> MetricCatalogue.parse("broker_connections"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broker_connections");
  }
}
