package io.tokenbroker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every token request lands in broker_token_request_seconds, tagged with its provider, kind and
 * outcome, refusals included.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenRequestMetricsTest {

  private static final String COUNT = "broker_token_request_seconds_count";

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  private static double connectionRequests(
      Scrape after, Scrape before, String provider, String outcome) {
    return after.since(
        before, COUNT, "provider", provider, "kind", "connection", "outcome", outcome);
  }

  @Test
  void servedTokenIsTimedAsIssuedForItsProviderAndKind() {
    UUID id = flows.link("metrics-token-holder");
    Scrape before = Scrape.now();

    PinterestFlows.accessToken(id, 60);
    PinterestFlows.accessToken(id, 60);

    Scrape after = Scrape.now();
    assertThat(connectionRequests(after, before, "pinterest", "issued")).isEqualTo(2);
    assertThat(
            after.since(
                before,
                "broker_token_request_seconds_bucket",
                "provider",
                "pinterest",
                "kind",
                "connection",
                "outcome",
                "issued",
                "le",
                "+Inf"))
        .isEqualTo(2);
    assertThat(
            after.since(
                before,
                "broker_token_request_seconds_sum",
                "provider",
                "pinterest",
                "kind",
                "connection",
                "outcome",
                "issued"))
        .isPositive();
  }

  @Test
  void refusedRequestsAreCountedByWhyTheyWereRefused() {
    UUID id = flows.link("metrics-refused");
    Scrape before = Scrape.now();

    PinterestFlows.tokenRequest(UUID.randomUUID(), "{}").then().statusCode(404);
    PinterestFlows.tokenRequest(id, CallerTokens.token("svc-stranger", "token-consumer"), "{}")
        .then()
        .statusCode(404);
    PinterestFlows.tokenRequest(id, CallerTokens.token(PinterestFlows.CONSUMER), "{}")
        .then()
        .statusCode(403);
    PinterestFlows.tokenRequest(id, "{\"scopes\":[\"pins:write\"]}").then().statusCode(403);
    PinterestFlows.tokenRequest(id, "{\"min_ttl_seconds\":90000}").then().statusCode(400);

    Scrape after = Scrape.now();
    assertThat(connectionRequests(after, before, "unknown", "not_found"))
        .as("an unknown connection has no provider to name")
        .isEqualTo(1);
    assertThat(connectionRequests(after, before, "pinterest", "not_found")).isEqualTo(1);
    assertThat(connectionRequests(after, before, "pinterest", "denied")).isEqualTo(1);
    assertThat(connectionRequests(after, before, "pinterest", "insufficient_scope")).isEqualTo(1);
    assertThat(connectionRequests(after, before, "pinterest", "invalid_request")).isEqualTo(1);
  }

  @Test
  void deadGrantIsCountedAsReauthorizationRequired() {
    pinterest.accessTokenLifetime(java.time.Duration.ofHours(1));
    UUID id = flows.link("metrics-dead-grant");
    PinterestFlows.refreshedLongAgo(id);
    pinterest.killGrant(pinterest.signedInAccount().id());
    Scrape before = Scrape.now();

    // Asking for more life than the token has forces a refresh, which finds the grant dead.
    PinterestFlows.tokenRequest(id, "{\"min_ttl_seconds\":7200}").then().statusCode(409);
    PinterestFlows.tokenRequest(id, "{}").then().statusCode(409);

    Scrape after = Scrape.now();
    assertThat(connectionRequests(after, before, "pinterest", "reauthorization_required"))
        .isEqualTo(2);
  }

  @Test
  void expiredTokenThatCannotBeRefreshedIsCountedAsUpstreamUnavailable() {
    UUID id = flows.link("metrics-outage");
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "accessTokenExpiresAt = ?1 where id = ?2", Instant.now().minusSeconds(60), id));
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    Scrape before = Scrape.now();

    PinterestFlows.tokenRequest(id, "{}").then().statusCode(503);

    Scrape after = Scrape.now();
    assertThat(connectionRequests(after, before, "pinterest", "upstream_unavailable")).isEqualTo(1);
  }

  @Test
  void appTokensAreTimedAsClientKindWithOneUpstreamCallForRepeatedRequests() {
    Scrape before = Scrape.now();

    // A scope set no other test asks for: the broker keeps app tokens in memory across tests.
    PinterestFlows.clientTokenRequest("catalogs:read").then().statusCode(200);
    PinterestFlows.clientTokenRequest("catalogs:read").then().statusCode(200);

    Scrape after = Scrape.now();
    assertThat(
            after.since(
                before, COUNT, "provider", "pinterest", "kind", "client", "outcome", "issued"))
        .isEqualTo(2);
    assertThat(
            after.since(
                before,
                "broker_upstream_request_seconds_count",
                "provider",
                "pinterest",
                "grant",
                "client_credentials",
                "outcome",
                "success"))
        .isEqualTo(1);
  }

  @Test
  void providerTagNeverTakesAnUnconfiguredProviderName() {
    Scrape before = Scrape.now();

    RestAssured.given()
        .auth()
        .oauth2(CallerTokens.token(PinterestFlows.APP_CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body("{\"scopes\":[\"boards:read\"]}")
        .post("/v1/providers/made-up-by-a-caller/client-token")
        .then()
        .statusCode(404);

    Scrape after = Scrape.now();
    assertThat(
            after.since(
                before, COUNT, "provider", "unknown", "kind", "client", "outcome", "not_found"))
        .isEqualTo(1);
    assertThat(after.text).doesNotContain("made-up-by-a-caller");
  }
}
