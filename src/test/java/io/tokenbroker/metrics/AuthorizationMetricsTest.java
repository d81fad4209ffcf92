package io.tokenbroker.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Linking an account moves broker_authorizations_total and the code-exchange latency series. */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class AuthorizationMetricsTest {

  private static final String AUTHORIZATIONS = "broker_authorizations_total";
  private static final String UPSTREAM_COUNT = "broker_upstream_request_seconds_count";

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  @Test
  void linkingAnAccountCountsStartedCompletedAndOneSuccessfulCodeExchange() {
    Scrape before = Scrape.now();

    flows.link("metrics-linker");

    Scrape after = Scrape.now();
    assertThat(after.since(before, AUTHORIZATIONS, "provider", "pinterest", "outcome", "started"))
        .isEqualTo(1);
    assertThat(after.since(before, AUTHORIZATIONS, "provider", "pinterest", "outcome", "completed"))
        .isEqualTo(1);
    String[] codeExchange = {
      "provider", "pinterest", "grant", "authorization_code", "outcome", "success"
    };
    assertThat(after.since(before, UPSTREAM_COUNT, codeExchange)).isEqualTo(1);
    assertThat(after.since(before, "broker_upstream_request_seconds_sum", codeExchange))
        .isPositive();
    assertThat(
            after.since(
                before,
                "broker_upstream_request_seconds_bucket",
                "provider",
                "pinterest",
                "grant",
                "authorization_code",
                "outcome",
                "success",
                "le",
                "+Inf"))
        .isEqualTo(1);
  }

  @Test
  void refusedConsentCountsDenied() {
    pinterest.denyConsent(true);
    Scrape before = Scrape.now();

    PinterestFlows.land(flows.consent("metrics-refuser")).then().statusCode(303);

    Scrape after = Scrape.now();
    assertThat(after.since(before, AUTHORIZATIONS, "provider", "pinterest", "outcome", "denied"))
        .isEqualTo(1);
    assertThat(after.since(before, UPSTREAM_COUNT)).isZero();
  }

  @Test
  void codeTheProviderRejectsCountsFailedAndAnInvalidGrantExchange() {
    String forged = flows.consent("metrics-forger").replaceAll("code=[^&]+", "code=not-issued");
    Scrape before = Scrape.now();

    PinterestFlows.land(forged).then().statusCode(303);

    Scrape after = Scrape.now();
    assertThat(after.since(before, AUTHORIZATIONS, "provider", "pinterest", "outcome", "failed"))
        .isEqualTo(1);
    assertThat(
            after.since(
                before,
                UPSTREAM_COUNT,
                "provider",
                "pinterest",
                "grant",
                "authorization_code",
                "outcome",
                "invalid_grant"))
        .isEqualTo(1);
  }

  @Test
  void replayedUnknownAndMissingStatesCountInvalidState() {
    String callback = flows.consent("metrics-replayer");
    PinterestFlows.land(callback).then().statusCode(303);
    Scrape before = Scrape.now();

    PinterestFlows.land(callback).then().statusCode(400);
    given().get("/v1/oauth/callback?code=abc&state=never-issued").then().statusCode(400);
    given().get("/v1/oauth/callback?code=abc").then().statusCode(400);

    Scrape after = Scrape.now();
    assertThat(
            after.since(
                before, AUTHORIZATIONS, "provider", "pinterest", "outcome", "invalid_state"))
        .as("the replayed state names its provider")
        .isEqualTo(1);
    assertThat(
            after.since(before, AUTHORIZATIONS, "provider", "unknown", "outcome", "invalid_state"))
        .as("unknown and missing states name none")
        .isEqualTo(2);
  }
}
