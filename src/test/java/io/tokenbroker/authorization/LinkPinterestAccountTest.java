package io.tokenbroker.authorization;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.Browser;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linking a Pinterest account end to end over real HTTP: the broker's authorize URL, the stand-in's
 * consent redirect, the broker's callback, the code exchange with Basic auth and the account
 * lookup, then a token for an allowed caller.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @io.quarkus.test.common.ResourceArg(name = "preset", value = "pinterest"))
class LinkPinterestAccountTest {

  private static final String RETURN_TO = "https://app.example.test/linked";

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static Response start(String body) {
    return given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body(body)
        .post("/v1/authorizations");
  }

  /** Starts a link and lets the person consent; returns the callback URL Pinterest sends back. */
  private String consent(String username) {
    pinterest.signInAs(username);
    String url =
        start(
                "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\",\"user_accounts:read\"],"
                    + "\"return_to\":\""
                    + RETURN_TO
                    + "\",\"allowed_callers\":[\"svc-reports\"]}")
            .then()
            .log()
            .ifValidationFails()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    HttpResponse<String> atPinterest = Browser.get(url);
    assertThat(atPinterest.statusCode()).isEqualTo(302);
    return Browser.location(atPinterest);
  }

  private static long rows(String table) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                (Long)
                    Connection.getEntityManager()
                        .createNativeQuery("select count(*) from " + table, Long.class)
                        .getSingleResult());
  }

  @Test
  void authorizationUrlCarriesPinterestParametersCommaScopesStateAndPkce() {
    String url =
        start("{\"provider\":\"pinterest\",\"scopes\":[\"pins:read\",\"boards:read\"]}")
            .then()
            .statusCode(201)
            .header("Cache-Control", "no-store")
            .body("expires_at", org.hamcrest.Matchers.notNullValue())
            .extract()
            .path("authorization_url");
    assertThat(url).startsWith(pinterest.authorizationEndpoint());
    Map<String, String> q = Browser.query(url);
    assertThat(q)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", pinterest.clientId())
        .containsEntry("scope", "boards:read,pins:read")
        .containsEntry("code_challenge_method", "S256");
    assertThat(q.get("redirect_uri")).endsWith("/v1/oauth/callback");
    // 32 random bytes, base64url: 256 bits of state.
    assertThat(q.get("state")).hasSize(43);
    assertThat(url).contains("scope=boards%3Aread%2Cpins%3Aread");
  }

  @Test
  void callbackExchangesTheCodeLinksTheAccountAndReturnsTheBrowser() {
    String callback = consent("pinner-one");
    Response landed = given().redirects().follow(false).get(callback);
    assertThat(landed.statusCode()).isEqualTo(303);
    String back = landed.header("Location");
    assertThat(back).startsWith(RETURN_TO + "?connection_id=");
    UUID id = UUID.fromString(Browser.query(back).get("connection_id"));

    TokenRequestsSeen seen = TokenRequestsSeen.of(pinterest);
    assertThat(seen.lastGrantType()).isEqualTo("authorization_code");

    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .get("/v1/connections/" + id)
        .then()
        .statusCode(200)
        .body("provider", equalTo("pinterest"))
        .body("account.username", equalTo("pinner-one"))
        .body("account.id", equalTo(pinterest.signedInAccount().id()))
        .body("status", equalTo("active"))
        .body("scopes", org.hamcrest.Matchers.contains("boards:read", "user_accounts:read"))
        .body("allowed_callers", org.hamcrest.Matchers.contains("svc-reports"))
        .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("access_token")));

    String token =
        given()
            .auth()
            .oauth2(CallerTokens.token("svc-reports", "token-consumer"))
            .contentType("application/json")
            .body("{}")
            .post("/v1/connections/" + id + "/access-token")
            .then()
            .log()
            .ifValidationFails()
            .statusCode(200)
            .header("Cache-Control", "no-store")
            .body("token_type", equalTo("Bearer"))
            .extract()
            .path("access_token");
    assertThat(pinterest.isAccessTokenLive(token)).isTrue();
  }

  @Test
  void linkingTheSameAccountAgainUpdatesItsConnection() {
    String first =
        Browser.query(
                given().redirects().follow(false).get(consent("pinner-two")).header("Location"))
            .get("connection_id");
    String second =
        Browser.query(
                given().redirects().follow(false).get(consent("pinner-two")).header("Location"))
            .get("connection_id");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void replayedCallbackIsRefusedWithAPageAndStoresNothing() {
    String callback = consent("pinner-three");
    given().redirects().follow(false).get(callback).then().statusCode(303);
    long connections = rows("connection");
    int exchanges = pinterest.tokenCalls();
    given()
        .redirects()
        .follow(false)
        .get(callback)
        .then()
        .statusCode(400)
        .contentType(startsWith("text/html"))
        .body(containsString("replayed_state"));
    assertThat(rows("connection")).isEqualTo(connections);
    assertThat(pinterest.tokenCalls()).isEqualTo(exchanges);
  }

  @Test
  void callbackWithoutStateOrWithUnknownStateIsRefused() {
    long before = rows("connection");
    given()
        .get("/v1/oauth/callback?code=abc")
        .then()
        .statusCode(400)
        .body(containsString("missing_state"));
    given()
        .get("/v1/oauth/callback?code=abc&state=never-issued")
        .then()
        .statusCode(400)
        .body(containsString("invalid_state"));
    given()
        .get("/v1/oauth/callback?code=a&code=b&state=x")
        .then()
        .statusCode(400)
        .body(containsString("duplicate_parameter"));
    assertThat(rows("connection")).isEqualTo(before);
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void expiredStateIsRefused() {
    String callback = consent("pinner-four");
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                AuthorizationRequest.update(
                    "expiresAt = ?1 where consumedAt is null", Instant.now().minusSeconds(1)));
    long before = rows("connection");
    given()
        .redirects()
        .follow(false)
        .get(callback)
        .then()
        .statusCode(400)
        .body(containsString("expired_state"));
    assertThat(rows("connection")).isEqualTo(before);
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void stateOfAnotherProviderIsRefusedOnAPerProviderCallback() {
    String callback = consent("pinner-five");
    String otherProvider = callback.replace("/v1/oauth/callback?", "/v1/oauth/callback/acme?");
    long before = rows("connection");
    given()
        .redirects()
        .follow(false)
        .get(otherProvider)
        .then()
        .statusCode(400)
        .body(containsString("invalid_state"));
    assertThat(rows("connection")).isEqualTo(before);
  }

  @Test
  void codeTheUpstreamRejectsSendsTheBrowserBackWithAnErrorAndStoresNothing() {
    String callback = consent("pinner-six");
    String forged = callback.replaceAll("code=[^&]+", "code=not-a-real-code");
    long before = rows("connection");
    Response landed = given().redirects().follow(false).get(forged);
    assertThat(landed.statusCode()).as(landed.body().asString()).isEqualTo(303);
    assertThat(landed.header("Location")).isEqualTo(RETURN_TO + "?error=exchange_failed");
    assertThat(rows("connection")).isEqualTo(before);
    assertThat(audit("authorization.failed")).isNotEmpty();
  }

  @Test
  void providerOutageDuringTheCodeExchangeSendsTheBrowserBackWithProviderUnavailable() {
    String callback = consent("pinner-outage");
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    long before = rows("connection");

    Response landed = given().redirects().follow(false).get(callback);

    assertThat(landed.statusCode()).as(landed.body().asString()).isEqualTo(303);
    assertThat(landed.header("Location")).isEqualTo(RETURN_TO + "?error=provider_unavailable");
    assertThat(rows("connection")).isEqualTo(before);
  }

  @Test
  void refusedConsentSendsTheBrowserBackWithAccessDenied() {
    pinterest.denyConsent(true);
    String callback = consent("pinner-seven");
    assertThat(callback).contains("error=access_denied");
    long before = rows("connection");
    Response landed = given().redirects().follow(false).get(callback);
    assertThat(landed.statusCode()).isEqualTo(303);
    assertThat(landed.header("Location")).isEqualTo(RETURN_TO + "?error=access_denied");
    assertThat(rows("connection")).isEqualTo(before);
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void badAuthorizationRequestsAreRefusedAndStoreNothing() {
    long before = rows("authorization_request");
    for (String body :
        List.of(
            "{\"provider\":\"nope\",\"scopes\":[\"boards:read\"]}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"admin:everything\"]}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read,pins:write\"]}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"],\"return_to\":\"//evil.example\"}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"],\"return_to\":\"https://app.example.test.evil.example/\"}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"],\"return_to\":\"https://app.example.test@evil.example/\"}",
            "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"],\"return_to\":\"https://app.example.test%2f@evil.example/\"}")) {
      int status =
          start(body)
              .then()
              .contentType(startsWith("application/problem+json"))
              .extract()
              .statusCode();
      assertThat(status).as(body).isIn(400, 404);
    }
    assertThat(rows("authorization_request")).isEqualTo(before);
  }

  @Test
  void startingAnAuthorizationNeedsTheAdminRole() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc", "token-consumer"))
        .contentType("application/json")
        .body("{\"provider\":\"pinterest\"}")
        .post("/v1/authorizations")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
  }

  private static List<AuditEvent> audit(String action) {
    return QuarkusTransaction.requiringNew()
        .call(() -> AuditEvent.<AuditEvent>list("action", action));
  }

  /** What the stand-in saw at its token endpoint. */
  private record TokenRequestsSeen(List<io.tokenbroker.support.upstream.TokenRequest> requests) {
    static TokenRequestsSeen of(PinterestStandIn standIn) {
      return new TokenRequestsSeen(standIn.tokenRequests());
    }

    String lastGrantType() {
      return requests.get(requests.size() - 1).grantType();
    }
  }
}
