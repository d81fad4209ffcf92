package io.tokenbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.ConnectionCensus;
import io.tokenbroker.deploy.MetricCatalogue;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check the chart's tests cannot make: every series that metric-names.txt promises (and the
 * alerts and dashboard use) is really exported by the running broker, with the promised labels and
 * type, and the broker exports no broker_* series the catalogue does not list.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class MetricCatalogueExportTest {

  @Inject ConnectionCensus census;

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  /**
   * Link, fetch, refresh, call through the proxy: the flows after which every family has a sample.
   */
  private Scrape afterTheFlows() {
    UUID id = flows.link("catalogue-pinner");
    PinterestFlows.accessToken(id, 60);
    PinterestFlows.forceRefresh(id).then().statusCode(200);
    io.restassured.RestAssured.given()
        .auth()
        .oauth2(
            io.tokenbroker.support.CallerTokens.token(PinterestFlows.CONSUMER, "token-consumer"))
        .get("/v1/connections/" + id + "/proxy/user_account")
        .then()
        .statusCode(200);
    census.take();
    return Scrape.now();
  }

  @Test
  void everyCataloguedSeriesIsExportedWithItsLabels() {
    Scrape scrape = afterTheFlows();

    for (MetricCatalogue.Family family : MetricCatalogue.load().families()) {
      for (String series : family.seriesNames()) {
        assertThat(scrape.named(series)).as(series + " is exported").isNotEmpty();
        for (Scrape.Sample sample : scrape.named(series)) {
          Set<String> labels = new HashSet<>(sample.labels().keySet());
          labels.remove("le");
          assertThat(labels).as("labels of " + sample).isEqualTo(family.labels());
        }
      }
    }
  }

  @Test
  void familiesAreDeclaredWithTheirCataloguedTypeInBothExpositionFormats() {
    afterTheFlows();
    Scrape classic = Scrape.now();
    Scrape openMetrics = Scrape.openMetrics();

    for (MetricCatalogue.Family family : MetricCatalogue.load().families()) {
      assertThat(openMetrics.types)
          .as("OpenMetrics # TYPE of " + family.name())
          .containsEntry(family.expositionName(), family.type());
      assertThat(classic.types)
          .as("text format # TYPE of " + family.name())
          .containsEntry(family.name(), family.type());
    }
  }

  @Test
  void noBrokerSeriesIsExportedThatTheCatalogueDoesNotList() {
    Scrape scrape = afterTheFlows();
    Set<String> catalogued =
        MetricCatalogue.load().families().stream()
            .flatMap(f -> f.seriesNames().stream())
            .collect(Collectors.toSet());

    Set<String> exported =
        scrape.samples.stream()
            .map(Scrape.Sample::name)
            .filter(n -> n.startsWith("broker_"))
            // Micrometer adds a _max gauge to every timer, and OpenMetrics a _created sample to
            // counters; neither is for alerts or panels.
            .filter(n -> !n.endsWith("_created") && !n.endsWith("_max"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(exported).isSubsetOf(catalogued);
  }
}
