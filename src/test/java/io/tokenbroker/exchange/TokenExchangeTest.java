package io.tokenbroker.exchange;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token-exchange door's successful answers: both ways to authenticate, both targets. */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenExchangeTest {

  private static final String CONSUMER = "svc-exchange";
  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static String consumer() {
    return CallerTokens.token(CONSUMER, "token-consumer");
  }

  @Test
  void bearerCallerGetsTheConnectionTokenAsAnRfc8693Answer() {
    var linked = LinkedAccounts.linkNew(pinterest, "exchange-bearer", CONSUMER);
    int calls = pinterest.tokenCalls();
    Exchange.bearer(consumer(), "resource", Exchange.connection(linked.id()))
        .statusCode(200)
        .contentType(startsWith("application/json"))
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .body("access_token", equalTo(linked.grant().accessToken()))
        .body("issued_token_type", equalTo(Exchange.ACCESS_TOKEN))
        .body("token_type", equalTo("Bearer"))
        .body("expires_in", greaterThan(60))
        .body("scope", equalTo("boards:read pins:read user_accounts:read"));
    assertThat(pinterest.tokenCalls()).as("served from what the broker holds").isEqualTo(calls);
  }

  @Test
  void callerWithoutAnAuthorizationHeaderSendsItsJwtAsSubjectToken() {
    var linked = LinkedAccounts.linkNew(pinterest, "exchange-subject", CONSUMER);
    Exchange.subject(
            consumer(),
            "resource",
            Exchange.connection(linked.id()),
            "requested_token_type",
            Exchange.ACCESS_TOKEN)
        .statusCode(200)
        .header("Cache-Control", "no-store")
        .body("access_token", equalTo(linked.grant().accessToken()))
        .body("issued_token_type", equalTo(Exchange.ACCESS_TOKEN));
  }

  @Test
  void bothCredentialsAreAcceptedWhenTheyAreTheSameToken() {
    var linked = LinkedAccounts.linkNew(pinterest, "exchange-both", CONSUMER);
    String jwt = consumer();
    Exchange.post(
            jwt,
            Exchange.grantWith(
                "subject_token",
                jwt,
                "subject_token_type",
                Exchange.JWT,
                "resource",
                Exchange.connection(linked.id())))
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
  }

  @Test
  void audienceNamesTheConnectionLikeItsResourceUrn() {
    var linked = LinkedAccounts.linkNew(pinterest, "exchange-audience", CONSUMER);
    Exchange.bearer(consumer(), "audience", linked.id().toString(), "scope", "boards:read")
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
    // Naming the same connection both ways is still one target.
    Exchange.bearer(
            consumer(),
            "audience",
            linked.id().toString(),
            "resource",
            Exchange.connection(linked.id()))
        .statusCode(200);
  }

  @Test
  void providerResourceGivesTheSameAppTokenAsTheBrokerApiFromOneUpstreamCall() {
    String app = CallerTokens.token("svc-app", "token-consumer");
    // A scope set no other test asks for: the broker keeps app tokens in memory across tests.
    String fromApi =
        given()
            .auth()
            .oauth2(app)
            .contentType("application/json")
            .body("{\"scopes\":[\"ads:read\",\"catalogs:read\"]}")
            .post("/v1/providers/pinterest/client-token")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    Exchange.subject(
            app, "resource", Exchange.provider("pinterest"), "scope", "catalogs:read ads:read")
        .statusCode(200)
        .header("Cache-Control", "no-store")
        .body("access_token", equalTo(fromApi))
        .body("issued_token_type", equalTo(Exchange.ACCESS_TOKEN))
        .body("token_type", equalTo("Bearer"));
    assertThat(pinterest.tokenCalls("client_credentials")).isEqualTo(1);
  }

  @Test
  void minTtlSecondsRefreshesATokenThatWouldNotLiveThatLong() {
    pinterest.accessTokenLifetime(java.time.Duration.ofSeconds(90));
    var linked = LinkedAccounts.linkNew(pinterest, "exchange-min-ttl", CONSUMER);
    String fresh =
        Exchange.bearer(
                consumer(), "resource", Exchange.connection(linked.id()), "min_ttl_seconds", "300")
            .statusCode(200)
            .extract()
            .path("access_token");
    assertThat(fresh).isNotEqualTo(linked.grant().accessToken());
    assertThat(pinterest.isAccessTokenLive(fresh)).isTrue();
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void metadataAdvertisesTheTokenEndpointAndTheGrant() {
    String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    given()
        .get("/.well-known/oauth-authorization-server")
        .then()
        .statusCode(200)
        .body("issuer", equalTo(base))
        .body("token_endpoint", equalTo(base + "/v1/token"))
        .body("grant_types_supported", equalTo(java.util.List.of(Exchange.GRANT)));
  }

  @Test
  void openApiDescribesTheFormRequestAndTheMetadataDocument() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(
            "paths.'/v1/token'.post.requestBody.content.'application/x-www-form-urlencoded'"
                + ".schema.properties.keySet()",
            org.hamcrest.Matchers.hasItems("grant_type", "resource", "subject_token"))
        .body(
            "paths.'/v1/token'.post.responses.keySet()",
            org.hamcrest.Matchers.hasItems("200", "400", "401", "503"))
        .body(
            "paths.keySet()",
            org.hamcrest.Matchers.hasItem("/.well-known/oauth-authorization-server"));
  }
}
