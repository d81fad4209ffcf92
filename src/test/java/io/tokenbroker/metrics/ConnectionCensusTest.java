package io.tokenbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionCensus;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database-wide gauges come from the census of the connection table: counts by status, the
 * soonest expiries of servable connections, the latest refresh.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ConnectionCensusTest {

  @Inject ConnectionCensus census;

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  private static List<Connection> servablePinterestConnections() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Connection.<Connection>list(
                    "provider = ?1 and status in ?2",
                    "pinterest",
                    List.of(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED)));
  }

  private static double connections(Scrape scrape, String status) {
    return scrape.value("broker_connections", "provider", "pinterest", "status", status);
  }

  @Test
  void censusCountsConnectionsByStatusAsTheTableHoldsThem() {
    flows.link("census-counted");
    census.take();

    Scrape scrape = Scrape.now();
    long active =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    Connection.count(
                        "provider = ?1 and status = ?2", "pinterest", ConnectionStatus.ACTIVE));
    assertThat(connections(scrape, "active")).isEqualTo(active).isPositive();
    for (ConnectionStatus status : ConnectionStatus.values()) {
      assertThat(
              scrape.find("broker_connections", "provider", "pinterest", "status", status.wire()))
          .as("every status is exported, zero included")
          .isPresent();
    }
  }

  @Test
  void deadGrantMovesAConnectionFromActiveToReauthorizationRequired() {
    UUID id = flows.link("census-dead");
    census.take();
    Scrape before = Scrape.now();
    pinterest.killGrant(pinterest.signedInAccount().id());
    PinterestFlows.forceRefresh(id).then().statusCode(200);

    census.take();

    Scrape after = Scrape.now();
    assertThat(connections(after, "active") - connections(before, "active")).isEqualTo(-1);
    assertThat(
            connections(after, "reauthorization_required")
                - connections(before, "reauthorization_required"))
        .isEqualTo(1);
  }

  @Test
  void soonestExpiriesAreSecondsFromNowOfTheSoonestServableConnection() {
    pinterest.accessTokenLifetime(Duration.ofHours(2));
    flows.link("census-expiring");
    census.take();

    Scrape scrape = Scrape.now();
    Instant now = Instant.now();
    Instant soonestAccess =
        servablePinterestConnections().stream()
            .map(c -> c.accessTokenExpiresAt)
            .filter(at -> at != null)
            .min(Instant::compareTo)
            .orElseThrow();
    Instant soonestRefresh =
        servablePinterestConnections().stream()
            .map(c -> c.refreshTokenExpiresAt)
            .filter(at -> at != null)
            .min(Instant::compareTo)
            .orElseThrow();
    double access =
        scrape
            .find("broker_access_token_soonest_expiry_seconds", "provider", "pinterest")
            .orElseThrow();
    double refresh =
        scrape
            .find("broker_refresh_token_soonest_expiry_seconds", "provider", "pinterest")
            .orElseThrow();
    assertThat(access)
        .isLessThanOrEqualTo(Duration.ofHours(2).toSeconds())
        .isCloseTo(Duration.between(now, soonestAccess).toSeconds(), within(5.0));
    assertThat(refresh).isCloseTo(Duration.between(now, soonestRefresh).toSeconds(), within(5.0));
  }

  @Test
  void lastSuccessTimestampFollowsTheLatestRefresh() {
    UUID id = flows.link("census-refreshed");
    Instant beforeRefresh = Instant.now();
    PinterestFlows.forceRefresh(id).then().statusCode(200);

    census.take();

    double last =
        Scrape.now()
            .find("broker_refresh_last_success_timestamp_seconds", "provider", "pinterest")
            .orElseThrow();
    assertThat(last)
        .isGreaterThanOrEqualTo(beforeRefresh.toEpochMilli() / 1000.0 - 0.001)
        .isLessThanOrEqualTo(Instant.now().toEpochMilli() / 1000.0);
  }
}
