package io.tokenbroker.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.upstream.ApiRequest;
import io.tokenbroker.support.upstream.IssuedTokens;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API proxy against the Pinterest stand-in over real HTTP: what reaches the provider, what
 * comes back, and how a refused token is replaced. Streaming, path escapes and upstream failures
 * have classes of their own.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class ApiProxyTest {

  static final String CONSUMER = "svc-proxy";

  @Inject AuditTrail audit;

  private PinterestStandIn pinterest;
  private IssuedTokens grant;
  private UUID id;
  private String jwt;

  @BeforeEach
  void linkAnAccount() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    grant =
        pinterest.issueGrant(
            "proxy-" + UUID.randomUUID(), "boards:read", "boards:write", "user_accounts:read");
    id = LinkedAccounts.store(grant, CONSUMER);
    jwt = CallerTokens.token(CONSUMER, "token-consumer");
  }

  private RequestSpecification proxy() {
    return given().auth().oauth2(jwt).urlEncodingEnabled(false);
  }

  private String url(String path) {
    return "/v1/connections/" + id + "/proxy/" + path;
  }

  private ApiRequest lastApiRequest() {
    List<ApiRequest> seen = pinterest.apiRequests();
    assertThat(seen).isNotEmpty();
    return seen.get(seen.size() - 1);
  }

  static String sha256(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void userAccountComesBackAsPinterestAnsweredItWithTheStoredTokenAttachedUpstream() {
    Response answer = proxy().get(url("user_account"));

    answer.then().statusCode(200).body("username", equalTo(grant.account().username()));
    assertThat(answer.asString()).doesNotContain(grant.accessToken());
    ApiRequest upstream = lastApiRequest();
    assertThat(upstream.method()).isEqualTo("GET");
    assertThat(upstream.rawPath()).isEqualTo("/v5/user_account");
    assertThat(upstream.header("Authorization")).contains("Bearer " + grant.accessToken());
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void everyMethodIsForwardedWithItsQueryStringAndBody() {
    String create = "{\"name\":\"Recipes\",\"privacy\":\"SECRET\"}";
    String boardId =
        proxy()
            .contentType("application/json")
            .body(create)
            .post(url("boards?ad_account_id=1"))
            .then()
            .statusCode(201)
            .body("name", equalTo("Recipes"))
            .extract()
            .path("id");
    assertThat(lastApiRequest())
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.rawPath()).isEqualTo("/v5/boards");
              assertThat(r.rawQuery()).isEqualTo("ad_account_id=1");
              assertThat(r.bodySha256()).isEqualTo(sha256(create));
              assertThat(r.header("Content-Type"))
                  .hasValueSatisfying(v -> v.startsWith("application/json"));
            });

    proxy()
        .get(url("boards?page_size=10&bookmark=a%2Fb"))
        .then()
        .statusCode(200)
        .body("items[0].id", equalTo(boardId));
    assertThat(lastApiRequest().rawQuery()).isEqualTo("page_size=10&bookmark=a%2Fb");

    proxy().head(url("boards?page_size=5")).then().statusCode(200);
    assertThat(lastApiRequest().method()).isEqualTo("HEAD");
    assertThat(lastApiRequest().rawQuery()).isEqualTo("page_size=5");

    String patch = "{\"description\":\"weeknight dinners\"}";
    proxy()
        .contentType("application/json")
        .body(patch)
        .patch(url("boards/" + boardId + "?x=1"))
        .then()
        .statusCode(200)
        .body("description", equalTo("weeknight dinners"));
    assertThat(lastApiRequest().bodySha256()).isEqualTo(sha256(patch));

    String put = "{\"name\":\"Replaced\"}";
    proxy()
        .contentType("application/json")
        .body(put)
        .put(url("boards/" + boardId + "?y=2"))
        .then()
        .statusCode(405)
        .header("Allow", "GET, HEAD, PATCH, DELETE");
    assertThat(lastApiRequest())
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("PUT");
              assertThat(r.rawQuery()).isEqualTo("y=2");
              assertThat(r.bodySha256()).isEqualTo(sha256(put));
            });

    proxy().delete(url("boards/" + boardId + "?z=3")).then().statusCode(204);
    assertThat(lastApiRequest().method()).isEqualTo("DELETE");
    proxy().get(url("boards/" + boardId)).then().statusCode(404).body("code", equalTo(404));
    assertThat(pinterest.apiRequests()).hasSize(7);
  }

  @Test
  void callerCredentialsCookiesHopByHopAndForwardedHeadersStayBehind() {
    RawHttp.Answer answer =
        RawHttp.exchange(
            "GET "
                + url("user_account")
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + jwt
                + "\r\nAccept: application/json\r\nAccept-Language: de\r\nCookie: session=s3cret"
                + "\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Host: evil.example"
                + "\r\nForwarded: for=203.0.113.9\r\nProxy-Authorization: Basic eDp5"
                + "\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-Custom: anything\r\nTE: trailers");

    assertThat(answer.status()).isEqualTo(200);
    ApiRequest upstream = lastApiRequest();
    assertThat(upstream.header("Authorization")).contains("Bearer " + grant.accessToken());
    assertThat(upstream.header("Accept")).contains("application/json");
    assertThat(upstream.header("Accept-Language")).contains("de");
    for (String dropped :
        List.of(
            "Cookie",
            "X-Forwarded-For",
            "X-Forwarded-Host",
            "Forwarded",
            "Proxy-Authorization",
            "X-Hop",
            "Keep-Alive",
            "X-Custom",
            "TE")) {
      assertThat(upstream.hasHeader(dropped)).as(dropped).isFalse();
    }
  }

  @Test
  void providerHeadersComeBackWithRateLimitsButWithoutCookiesOrHopByHopHeaders() {
    pinterest.addApiResponseHeader("Set-Cookie", "_pinterest_sess=abc; Path=/");
    pinterest.addApiResponseHeader("Proxy-Authenticate", "Basic realm=x");
    pinterest.addApiResponseHeader("X-Upstream-Note", "kept");

    Response answer = proxy().get(url("boards?page_size=1"));

    answer.then().statusCode(200);
    assertThat(answer.header("x-ratelimit-limit")).isEqualTo("1000");
    assertThat(answer.header("x-ratelimit-remaining")).isEqualTo("999");
    assertThat(answer.header("x-ratelimit-reset")).isEqualTo("60");
    assertThat(answer.header("x-pinterest-rid")).isNotBlank();
    assertThat(answer.header("X-Upstream-Note")).isEqualTo("kept");
    assertThat(answer.header("Set-Cookie")).isNull();
    assertThat(answer.header("Proxy-Authenticate")).isNull();
  }

  @Test
  void providerRefusingTheTokenMakesOneRefreshAndOneRetryWithTheSameBody() {
    pinterest.revokeAccessToken(grant.accessToken());
    String create = "{\"name\":\"After refresh\"}";

    proxy()
        .contentType("application/json")
        .body(create)
        .post(url("boards"))
        .then()
        .statusCode(201)
        .body("name", equalTo("After refresh"));

    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    List<ApiRequest> seen = pinterest.apiRequests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).header("Authorization")).contains("Bearer " + grant.accessToken());
    assertThat(seen.get(1).header("Authorization"))
        .isPresent()
        .get()
        .isNotEqualTo("Bearer " + grant.accessToken());
    assertThat(seen).allSatisfy(r -> assertThat(r.bodySha256()).isEqualTo(sha256(create)));

    // The new token is the one held now: the next call needs no refresh.
    proxy().get(url("user_account")).then().statusCode(200);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void aRefusalThatANewTokenDoesNotCureIsPassedOnWithoutARefreshStorm() {
    IssuedTokens readOnly = pinterest.issueGrant("proxy-ro-" + UUID.randomUUID(), "boards:read");
    id = LinkedAccounts.store(readOnly, CONSUMER);

    for (int i = 0; i < 3; i++) {
      proxy()
          .contentType("application/json")
          .body("{\"name\":\"x\"}")
          .post(url("boards"))
          .then()
          .statusCode(401)
          .body("code", equalTo(3));
    }

    // One refresh for the first refusal (the token might have been revoked); after that the token
    // is new, and a refusal of a new token is the provider's answer, not a stale token.
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(pinterest.apiRequests()).hasSize(4);
  }

  @Test
  void aDeadGrantFoundThroughA401AnswersReauthorizationRequired() {
    pinterest.killGrant(grant.account().id());

    proxy()
        .get(url("user_account"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("reauthorization_required"));

    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(pinterest.apiRequests()).hasSize(1);
  }

  @Test
  void aRefreshThatCannotHappenAnswersUpstreamUnavailable() {
    pinterest.revokeAccessToken(grant.accessToken());
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable());

    proxy()
        .get(url("user_account"))
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .body("code", equalTo("upstream_unavailable"));

    assertThat(pinterest.apiRequests()).hasSize(1);
  }

  @Test
  void aCallerNotListedOnTheConnectionGetsTheSame404AsForAnUnknownConnection() {
    String stranger = CallerTokens.token("svc-stranger", "token-consumer");

    Response notListed = given().auth().oauth2(stranger).get(url("user_account"));
    Response unknown =
        given()
            .auth()
            .oauth2(jwt)
            .get("/v1/connections/" + UUID.randomUUID() + "/proxy/user_account");

    notListed.then().statusCode(404).contentType("application/problem+json");
    unknown.then().statusCode(404).contentType("application/problem+json");
    assertThat(notListed.jsonPath().getString("detail"))
        .isEqualTo(unknown.jsonPath().getString("detail"));
    given().get(url("user_account")).then().statusCode(401);
    assertThat(pinterest.apiRequests()).isEmpty();
  }

  private static long counted(List<AuditEvent> rows) {
    return rows.stream()
        .filter(r -> r.detail.equals("GET /user_account 200"))
        .mapToLong(r -> r.issuedCount)
        .sum();
  }

  private List<AuditEvent> auditRows() {
    audit.flush();
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                AuditEvent.<AuditEvent>list(
                    "connectionId = ?1 and action = ?2", id, "proxy.called"));
  }

  @Test
  void aProxiedCallIsAuditedAndTimedWithoutItsBody() {
    proxy()
        .contentType("application/json")
        .body("{\"name\":\"audited-body-text\"}")
        .post(url("boards"))
        .then()
        .statusCode(201);

    // The row is queued when the answer's last byte is written, which the caller may see first.
    Poll.until(
        "the proxied call's audit row", Duration.ofSeconds(10), () -> !auditRows().isEmpty());
    List<AuditEvent> rows = auditRows();
    assertThat(rows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.actor).isEqualTo(CONSUMER);
              assertThat(r.provider).isEqualTo("pinterest");
              assertThat(r.detail).isEqualTo("POST /boards 201");
            });
    assertThat(rows).noneSatisfy(r -> assertThat(r.detail).contains("audited-body-text"));
    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .containsPattern(
            "broker_proxy_request_seconds_count\\{method=\"POST\",provider=\"pinterest\","
                + "status_class=\"2xx\"\\} [1-9]");
  }

  @Test
  void proxiedCallsOfEveryConnectionAndPathShareOneHttpServerTimer() {
    UUID other =
        LinkedAccounts.store(
            pinterest.issueGrant("proxy-" + UUID.randomUUID(), "user_accounts:read"), CONSUMER);
    double before = proxyTimerCount(given().get("/q/metrics").asString());
    proxy().get(url("user_account")).then().statusCode(200);
    proxy().get(url("boards")).then().statusCode(200);
    proxy().get("/v1/connections/" + other + "/proxy/user_account").then().statusCode(200);

    // The timer is recorded as the response ends, which may be a moment after the client has it.
    Poll.until(
        "three proxied calls timed",
        Duration.ofSeconds(10),
        () -> proxyTimerCount(given().get("/q/metrics").asString()) - before >= 3);
    String metrics = given().get("/q/metrics").asString();
    // A raw path per connection and API path would make a timer each (and an unbounded series).
    assertThat(metrics).doesNotContain("uri=\"/v1/connections/" + id);
    assertThat(metrics).doesNotContain("uri=\"/v1/connections/" + other);
    // Other classes of this application proxy too: count this test's calls only.
    assertThat(proxyTimerCount(metrics) - before).isEqualTo(3.0);
  }

  private static double proxyTimerCount(String metrics) {
    Matcher m =
        Pattern.compile(
                "http_server_requests_seconds_count\\{method=\"GET\",outcome=\"SUCCESS\","
                    + "status=\"200\",uri=\"/v1/connections/\\{id\\}/proxy\"\\} ([0-9.E]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void successfulCallsOfOneCallerConnectionAndPathInAMinuteAreOneCountedAuditRow() {
    for (int i = 0; i < 3; i++) {
      proxy().get(url("user_account")).then().statusCode(200);
    }

    // A call is counted as its response ends, which may be a moment after the client has it.
    Poll.until("three calls counted", Duration.ofSeconds(10), () -> counted(auditRows()) >= 3);
    List<AuditEvent> rows = auditRows();
    assertThat(counted(rows)).isEqualTo(3);
    // Usually one row; two when the calls straddled a minute.
    assertThat(rows).hasSizeLessThanOrEqualTo(2);
  }
}
