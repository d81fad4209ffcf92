package io.tokenbroker.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every status of the token and connection endpoints, against the Pinterest stand-in. */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenApiTest {

  private static final String CONSUMER = "svc-orders";
  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  private static ValidatableResponse fetch(String caller, UUID id, String body) {
    return given()
        .auth()
        .oauth2(CallerTokens.token(caller, "token-consumer"))
        .contentType("application/json")
        .body(body)
        .post("/v1/connections/" + id + "/access-token")
        .then();
  }

  private static ValidatableResponse problem(
      ValidatableResponse response, int status, String code) {
    return response
        .statusCode(status)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo(code));
  }

  private static Connection row(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> Connection.findById(id));
  }

  @Test
  void allowedCallerGetsTheStoredTokenWithoutAnUpstreamCall() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop", CONSUMER);
    int calls = pinterest.tokenCalls();
    fetch(CONSUMER, linked.id(), "{\"scopes\":[\"boards:read\"]}")
        .statusCode(200)
        .header("Cache-Control", "no-store")
        .body("access_token", equalTo(linked.grant().accessToken()))
        .body("token_type", equalTo("Bearer"))
        .body("expires_in", notNullValue())
        .body("expires_at", notNullValue())
        .body("scope", hasItem("boards:read"));
    fetch(CONSUMER, linked.id(), "{}").statusCode(200);
    assertThat(pinterest.tokenCalls()).isEqualTo(calls);
  }

  @Test
  void callerNotAllowedLearnsNothingAboutTheConnection() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-2", CONSUMER);
    String notAllowed =
        fetch("svc-stranger", linked.id(), "{}").statusCode(404).extract().body().asString();
    String unknown =
        fetch("svc-stranger", UUID.randomUUID(), "{}").statusCode(404).extract().body().asString();
    assertThat(notAllowed)
        .isEqualTo(unknown)
        .doesNotContain("acme-shop-2")
        .doesNotContain(linked.id().toString());
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-stranger", "token-consumer"))
        .get("/v1/connections/" + linked.id())
        .then()
        .statusCode(404);
  }

  @Test
  void callerWithoutTheConsumerRoleIsForbidden() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-3", CONSUMER);
    problem(
        given()
            .auth()
            .oauth2(CallerTokens.token(CONSUMER, "reporting"))
            .contentType("application/json")
            .body("{}")
            .post("/v1/connections/" + linked.id() + "/access-token")
            .then(),
        403,
        "forbidden");
  }

  @Test
  void missingOrInvalidJwtIsUnauthenticated() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-4", CONSUMER);
    String path = "/v1/connections/" + linked.id() + "/access-token";
    problem(
        given().contentType("application/json").body("{}").post(path).then(),
        401,
        "unauthenticated");
    problem(
        given()
            .auth()
            .oauth2("e30.e30.x")
            .contentType("application/json")
            .body("{}")
            .post(path)
            .then(),
        401,
        "unauthenticated");
  }

  @Test
  void scopesOutsideTheGrantAreInsufficientScope() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-5", CONSUMER);
    problem(fetch(CONSUMER, linked.id(), "{\"scopes\":[\"ads:write\"]}"), 403, "insufficient_scope")
        .body("granted_scopes", hasItem("boards:read"));
  }

  @Test
  void badBodiesAreRefusedWithValidationProblems() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-6", CONSUMER);
    problem(fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":-1}"), 400, "validation_failed");
    problem(
        fetch(CONSUMER, linked.id(), "{\"scopes\":[\"boards:read,pins:read\"]}"),
        400,
        "validation_failed");
    problem(fetch(CONSUMER, linked.id(), "{\"scopes\":\"boards:read\"}"), 400, "malformed_request");
    problem(
        fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":100000000}"), 400, "validation_failed");
  }

  @Test
  void tokenThatWouldNotLiveLongEnoughIsRefreshedFirstAndTheRotationStored() {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var linked = LinkedAccounts.link(pinterest, "acme-shop-7", CONSUMER);
    String fresh =
        fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":300}")
            .statusCode(200)
            .extract()
            .path("access_token");
    assertThat(fresh).isNotEqualTo(linked.grant().accessToken());
    assertThat(pinterest.isAccessTokenLive(fresh)).isTrue();
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    var chain = pinterest.refreshChain(linked.grant().account().id());
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    // A second fetch finds the new token stored: no further upstream call.
    fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":300}")
        .statusCode(200)
        .body("access_token", equalTo(fresh));
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void deadGrantAnswersReauthorizationRequiredWithALink() {
    pinterest.accessTokenLifetime(Duration.ofSeconds(30));
    var linked = LinkedAccounts.link(pinterest, "acme-shop-8", CONSUMER);
    pinterest.killGrant(linked.grant().account().id());
    problem(
            fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":120}"),
            409,
            "reauthorization_required")
        .body("reauthorize.href", equalTo("/v1/authorizations"))
        .body("reauthorize.body.provider", equalTo("pinterest"));
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.REAUTHORIZATION_REQUIRED);
    problem(fetch(CONSUMER, linked.id(), "{}"), 409, "reauthorization_required");
  }

  @Test
  void upstreamOutageWithAValidTokenLeftStillServesIt() {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var linked = LinkedAccounts.link(pinterest, "acme-shop-9", CONSUMER);
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());
    fetch(CONSUMER, linked.id(), "{\"min_ttl_seconds\":300}")
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.DEGRADED);
  }

  @Test
  void upstreamOutageWithNoValidTokenAnswers503WithRetryAfter() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-10", CONSUMER);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "accessTokenExpiresAt = ?1 where id = ?2",
                    Instant.now().minusSeconds(5),
                    linked.id()));
    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(120));
    String retryAfter =
        problem(fetch(CONSUMER, linked.id(), "{}"), 503, "upstream_unavailable")
            .extract()
            .header("Retry-After");
    assertThat(Long.parseLong(retryAfter)).isGreaterThanOrEqualTo(100);
    problem(fetch(CONSUMER, linked.id(), "{}"), 503, "upstream_unavailable");
    // The second request honoured the backoff instead of calling the provider again.
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void administratorsListFilterReadReplaceCallersRefreshAndDelete() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-11", CONSUMER);
    String admin = CallerTokens.admin();
    given()
        .auth()
        .oauth2(admin)
        .get("/v1/connections?provider=pinterest&status=active")
        .then()
        .statusCode(200)
        .body("id", hasItem(linked.id().toString()));
    given()
        .auth()
        .oauth2(admin)
        .get("/v1/connections?status=revoked")
        .then()
        .statusCode(200)
        .body("id", org.hamcrest.Matchers.not(hasItem(linked.id().toString())));
    problem(
        given().auth().oauth2(admin).get("/v1/connections?status=bogus").then(),
        400,
        "validation_failed");

    fetch(CONSUMER, linked.id(), "{}").statusCode(200);
    given()
        .auth()
        .oauth2(admin)
        .contentType("application/json")
        .body("{\"allowed_callers\":[\"svc-other\"]}")
        .put("/v1/connections/" + linked.id() + "/callers")
        .then()
        .statusCode(200);
    // The cache was invalidated: the removed caller is refused at once.
    fetch(CONSUMER, linked.id(), "{}").statusCode(404);
    fetch("svc-other", linked.id(), "{}").statusCode(200);

    int refreshes = pinterest.tokenCalls("refresh_token");
    given()
        .auth()
        .oauth2(admin)
        .post("/v1/connections/" + linked.id() + "/refresh")
        .then()
        .statusCode(200)
        .body("status", equalTo("active"));
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(refreshes + 1);

    given()
        .auth()
        .oauth2(admin)
        .delete("/v1/connections/" + linked.id())
        .then()
        .statusCode(200)
        .body("status", equalTo("revoked"));
    Connection after = row(linked.id());
    assertThat(after.accessTokenEnc).isNull();
    assertThat(after.refreshTokenEnc).isNull();
    assertThat(pinterest.revocationCalls()).isPositive();
    fetch("svc-other", linked.id(), "{}").statusCode(404);
    List<AuditEvent> deleted =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    AuditEvent.<AuditEvent>list(
                        "action = ?1 and connectionId = ?2", "connection.deleted", linked.id()));
    assertThat(deleted).hasSize(1);
    assertThat(deleted.get(0).actor).isEqualTo("admin-tool");
  }

  @Test
  void adminOperationsNeedTheAdminRole() {
    var linked = LinkedAccounts.link(pinterest, "acme-shop-12", CONSUMER);
    String consumer = CallerTokens.token(CONSUMER, "token-consumer");
    String path = "/v1/connections/" + linked.id();
    problem(given().auth().oauth2(consumer).delete(path).then(), 403, "forbidden");
    problem(given().auth().oauth2(consumer).post(path + "/refresh").then(), 403, "forbidden");
    problem(
        given()
            .auth()
            .oauth2(consumer)
            .contentType("application/json")
            .body("{\"allowed_callers\":[]}")
            .put(path + "/callers")
            .then(),
        403,
        "forbidden");
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.ACTIVE);
    problem(
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .delete("/v1/connections/" + UUID.randomUUID())
            .then(),
        404,
        "not_found");
  }

  @Test
  void clientTokenIsSharedPerScopeSetAndLimitedToConfiguredCallers() {
    String app = CallerTokens.token("svc-app", "token-consumer");
    String first =
        given()
            .auth()
            .oauth2(app)
            .contentType("application/json")
            .body("{\"scopes\":[\"pins:read\",\"boards:read\"]}")
            .post("/v1/providers/pinterest/client-token")
            .then()
            .statusCode(200)
            .header("Cache-Control", "no-store")
            .extract()
            .path("access_token");
    String second =
        given()
            .auth()
            .oauth2(app)
            .contentType("application/json")
            .body("{\"scopes\":[\"boards:read\",\"pins:read\",\"pins:read\"]}")
            .post("/v1/providers/pinterest/client-token")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    assertThat(second).isEqualTo(first);
    assertThat(pinterest.tokenCalls("client_credentials")).isEqualTo(1);
    assertThat(pinterest.tokenRequests().get(0).parameter("scope"))
        .isEqualTo("boards:read,pins:read");
    problem(
        given()
            .auth()
            .oauth2(CallerTokens.token("svc-orders", "token-consumer"))
            .contentType("application/json")
            .body("{\"scopes\":[\"pins:read\"]}")
            .post("/v1/providers/pinterest/client-token")
            .then(),
        403,
        "forbidden");
    problem(
        given()
            .auth()
            .oauth2(app)
            .contentType("application/json")
            .body("{}")
            .post("/v1/providers/nope/client-token")
            .then(),
        404,
        "not_found");
  }

  @Test
  void providersAreListedWithoutSecrets() {
    String body =
        given()
            .auth()
            .oauth2(CallerTokens.token("anyone", "token-consumer"))
            .get("/v1/providers")
            .then()
            .statusCode(200)
            .body("id", hasItem("pinterest"))
            .extract()
            .body()
            .asString();
    assertThat(body)
        .doesNotContain(pinterest.initialClientSecret())
        .doesNotContain("client_secret");
  }
}
