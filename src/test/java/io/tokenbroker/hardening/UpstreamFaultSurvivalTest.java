package io.tokenbroker.hardening;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.connection.ConnectionStatus;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import io.tokenbroker.support.upstream.RefreshTokenChain;
import io.tokenbroker.support.upstream.TokenEndpointFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each upstream fault the broker can meet at the token endpoint: callers keep the token while one
 * is valid, get 503 with Retry-After only when none is, and once the provider is back the broker
 * refreshes on its own with the refresh token chain intact (no token presented twice, none refused,
 * the stored one still the newest).
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class UpstreamFaultSurvivalTest {

  private static final String CONSUMER = "svc-faults";
  private static final String GRANT_OK =
      "{\"access_token\":\"pina.x\",\"refresh_token\":\"pinr.a.b.c\",\"token_type\":\"bearer\","
          + "\"expires_in\":2592000,\"scope\":\"boards:read pins:read user_accounts:read\"}";

  private PinterestStandIn pinterest;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
  }

  static Stream<Named<Supplier<TokenEndpointFault>>> faults() {
    return Stream.of(
        Named.of(
            "500 with a JSON error",
            () -> TokenEndpointFault.respond(500, "{\"code\":0,\"message\":\"Internal error\"}")),
        Named.of("502 from a proxy", () -> TokenEndpointFault.respond(502, "{}")),
        Named.of("503 HTML page", TokenEndpointFault::serviceUnavailable),
        Named.of("429 with Retry-After", () -> TokenEndpointFault.rateLimited(120)),
        Named.of("connection dropped", TokenEndpointFault::dropConnection),
        Named.of("truncated success body", () -> TokenEndpointFault.truncatedBody(200, GRANT_OK)),
        Named.of("200 that is not JSON", () -> TokenEndpointFault.respond(200, "<html>ok</html>")),
        Named.of("200 without an access token", () -> TokenEndpointFault.respond(200, "{}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultWhileATokenIsHeldStillServesItAndRecoversWithTheChainIntact(
      Supplier<TokenEndpointFault> fault) {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var linked = link();
    pinterest.enqueueTokenFaults(fault.get());

    fetch(linked.id(), 300)
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.DEGRADED);
    // Inside the backoff the held token is served without asking the provider again.
    fetch(linked.id(), 300)
        .statusCode(200)
        .body("access_token", equalTo(linked.grant().accessToken()));
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);

    backoffElapses(linked.id());
    String fresh = fetch(linked.id(), 300).statusCode(200).extract().path("access_token");
    assertRecovered(linked, fresh);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultWithNoValidTokenAnswers503WithRetryAfterAndRecovers(
      Supplier<TokenEndpointFault> fault) {
    var linked = link();
    expireAccessToken(linked.id());
    pinterest.enqueueTokenFaults(fault.get());

    String retryAfter = unavailable(linked.id());
    assertThat(Long.parseLong(retryAfter)).isPositive();

    backoffElapses(linked.id());
    String fresh = fetch(linked.id(), 0).statusCode(200).extract().path("access_token");
    assertRecovered(linked, fresh);
  }

  @Test
  void rateLimitRetryAfterIsPassedOnToCallersAndHonoured() {
    var linked = link();
    expireAccessToken(linked.id());
    pinterest.enqueueTokenFaults(TokenEndpointFault.rateLimited(120));
    // At least what the provider asked for; the broker's own backoff may add to it.
    assertThat(Long.parseLong(unavailable(linked.id()))).isGreaterThanOrEqualTo(100L);
    assertThat(row(linked.id()).nextRefreshAt).isAfter(Instant.now().plusSeconds(100));
    unavailable(linked.id());
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
  }

  @Test
  void refusedConnectionsAreSurvivedAndTheBrokerRecoversWhenTheProviderIsBack() {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var held = link();
    var expired = link();
    expireAccessToken(expired.id());
    pinterest.stop();
    try {
      fetch(held.id(), 300)
          .statusCode(200)
          .body("access_token", equalTo(held.grant().accessToken()));
      unavailable(expired.id());
    } finally {
      pinterest.start();
    }
    backoffElapses(held.id());
    backoffElapses(expired.id());
    assertRecovered(held, fetch(held.id(), 300).statusCode(200).extract().path("access_token"));
    assertRecovered(expired, fetch(expired.id(), 0).statusCode(200).extract().path("access_token"));
  }

  /**
   * The provider accepts the connection and never answers: the broker's read timeout (10 s by
   * default) ends the wait, the held token is served, and nothing was consumed upstream.
   */
  @Test
  void providerThatHangsPastTheReadTimeoutDoesNotHangCallers() {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var linked = link();
    CountDownLatch never = new CountDownLatch(1);
    pinterest.enqueueTokenFaults(TokenEndpointFault.serviceUnavailable().heldUntil(never));
    try {
      long started = System.nanoTime();
      fetch(linked.id(), 300)
          .statusCode(200)
          .body("access_token", equalTo(linked.grant().accessToken()));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    } finally {
      never.countDown();
    }
    backoffElapses(linked.id());
    assertRecovered(linked, fetch(linked.id(), 300).statusCode(200).extract().path("access_token"));
  }

  /** Many callers during an outage: all served, one upstream call, no retry storm. */
  @Test
  void concurrentCallersDuringAnOutageCauseOneUpstreamCall() throws Exception {
    pinterest.accessTokenLifetime(Duration.ofSeconds(90));
    var linked = link();
    pinterest.enqueueTokenFaults(
        TokenEndpointFault.serviceUnavailable(), TokenEndpointFault.serviceUnavailable());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return fetch(linked.id(), 300)
                      .statusCode(200)
                      .extract()
                      .<String>path("access_token");
                }));
      }
      go.countDown();
      for (Future<String> answer : answers) {
        assertThat(answer.get()).isEqualTo(linked.grant().accessToken());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(1);
    assertThat(pinterest.refreshChain(linked.grant().account().id()).eachPresentedAtMostOnce())
        .isTrue();
  }

  // --- helpers -----------------------------------------------------------------------------

  private LinkedAccounts.Linked link() {
    return LinkedAccounts.linkNew(pinterest, "fault-shop", CONSUMER);
  }

  private void assertRecovered(LinkedAccounts.Linked linked, String fresh) {
    assertThat(fresh).isNotEqualTo(linked.grant().accessToken());
    assertThat(pinterest.isAccessTokenLive(fresh)).isTrue();
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.ACTIVE);
    RefreshTokenChain chain = pinterest.refreshChain(linked.grant().account().id());
    assertThat(chain.eachPresentedAtMostOnce()).isTrue();
    assertThat(chain.refusedPresentations()).isZero();
    // The stored refresh token is the newest one: a forced refresh with it still works.
    int calls = pinterest.tokenCalls("refresh_token");
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .post("/v1/connections/" + linked.id() + "/refresh")
        .then()
        .statusCode(200);
    assertThat(pinterest.tokenCalls("refresh_token")).isEqualTo(calls + 1);
    RefreshTokenChain after = pinterest.refreshChain(linked.grant().account().id());
    assertThat(after.refusedPresentations()).isZero();
    assertThat(after.eachPresentedAtMostOnce()).isTrue();
    assertThat(row(linked.id()).status).isEqualTo(ConnectionStatus.ACTIVE);
  }

  private String unavailable(UUID id) {
    return fetch(id, 0)
        .statusCode(503)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("upstream_unavailable"))
        .extract()
        .header("Retry-After");
  }

  private static ValidatableResponse fetch(UUID id, int minTtlSeconds) {
    return given()
        .auth()
        .oauth2(CallerTokens.token(CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body("{\"min_ttl_seconds\":" + minTtlSeconds + "}")
        .post("/v1/connections/" + id + "/access-token")
        .then();
  }

  /** Stands in for the clock passing the backoff: the next request may call the provider. */
  private static void backoffElapses(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "nextRefreshAt = ?1, lastRefreshedAt = ?2 where id = ?3",
                    Instant.now().minusSeconds(1),
                    Instant.now().minusSeconds(600),
                    id));
  }

  private static void expireAccessToken(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "accessTokenExpiresAt = ?1, lastRefreshedAt = ?2 where id = ?3",
                    Instant.now().minusSeconds(5),
                    Instant.now().minusSeconds(600),
                    id));
  }

  private static Connection row(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> Connection.findById(id));
  }
}
