package io.tokenbroker.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.support.upstream.PinterestStandIn;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

/**
 * The broker's user-facing flows against the Pinterest stand-in, over real HTTP, for tests that
 * need them as a means (metrics, logs) rather than as the subject: link an account, fetch its
 * token, refresh it, fetch an app token.
 */
public final class PinterestFlows {

  /** The caller every connection linked here allows. */
  public static final String CONSUMER = "svc-observed";

  /** The caller that test configuration lets fetch Pinterest app tokens. */
  public static final String APP_CONSUMER = "svc-app";

  public static final String RETURN_TO = "https://app.example.test/linked";

  private final PinterestStandIn pinterest;

  public PinterestFlows(PinterestStandIn pinterest) {
    this.pinterest = pinterest;
  }

  /** Starts a link as an administrator and consents as {@code username}: the callback URL. */
  public String consent(String username) {
    return consent(username, "\"allowed_callers\":[\"" + CONSUMER + "\"]");
  }

  /**
   * As {@link #consent(String)}, with {@code callersMember} (an {@code "allowed_callers"} member,
   * or empty for none) in the start request.
   */
  public String consent(String username, String callersMember) {
    pinterest.signInAs(username);
    String url =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("application/json")
            .body(
                "{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\",\"user_accounts:read\"],"
                    + "\"return_to\":\""
                    + RETURN_TO
                    + "\""
                    + (callersMember.isEmpty() ? "" : "," + callersMember)
                    + "}")
            .post("/v1/authorizations")
            .then()
            .statusCode(201)
            .extract()
            .path("authorization_url");
    HttpResponse<String> atPinterest = Browser.get(url);
    assertThat(atPinterest.statusCode()).isEqualTo(302);
    return Browser.location(atPinterest);
  }

  /** The browser lands on the callback; the answer (a 303 to return_to, or a page). */
  public static Response land(String callback) {
    return given().redirects().follow(false).get(callback);
  }

  /** Links {@code username}'s account end to end; the new connection's id. */
  public UUID link(String username) {
    return linkWith(username, "\"allowed_callers\":[\"" + CONSUMER + "\"]");
  }

  /** Links end to end with {@code callersMember} as in {@link #consent(String, String)}. */
  public UUID linkWith(String username, String callersMember) {
    Response landed = land(consent(username, callersMember));
    assertThat(landed.statusCode()).as(landed.body().asString()).isEqualTo(303);
    return UUID.fromString(Browser.query(landed.header("Location")).get("connection_id"));
  }

  /**
   * Makes the connection look refreshed long ago. Right after linking (or a refresh) the broker
   * serves the token it has even when it lives less than asked, so a test that wants an on-demand
   * refresh ages the row first.
   */
  public static void refreshedLongAgo(UUID id) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                Connection.update(
                    "lastRefreshedAt = ?1 where id = ?2", Instant.now().minusSeconds(600), id));
  }

  /** Asks for a connection's token as {@link #CONSUMER}. */
  public static Response tokenRequest(UUID id, String body) {
    return tokenRequest(id, CallerTokens.token(CONSUMER, "token-consumer"), body);
  }

  public static Response tokenRequest(UUID id, String callerJwt, String body) {
    return given()
        .auth()
        .oauth2(callerJwt)
        .contentType("application/json")
        .body(body)
        .post("/v1/connections/" + id + "/access-token");
  }

  /** A connection's access token that lives at least {@code minTtlSeconds}. */
  public static String accessToken(UUID id, int minTtlSeconds) {
    return tokenRequest(id, "{\"min_ttl_seconds\":" + minTtlSeconds + "}")
        .then()
        .statusCode(200)
        .extract()
        .path("access_token");
  }

  /** An administrator's "refresh now". */
  public static Response forceRefresh(UUID id) {
    return given().auth().oauth2(CallerTokens.admin()).post("/v1/connections/" + id + "/refresh");
  }

  /** An app token of the Pinterest app, as {@link #APP_CONSUMER}. */
  public static Response clientTokenRequest(String scopes) {
    return given()
        .auth()
        .oauth2(CallerTokens.token(APP_CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body("{\"scopes\":[\"" + scopes + "\"]}")
        .post("/v1/providers/pinterest/client-token");
  }
}
