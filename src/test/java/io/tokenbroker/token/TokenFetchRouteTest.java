package io.tokenbroker.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.ClientProxy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LinkedAccounts;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token fetch's Vert.x route against the REST endpoint it stands in front of: the same request
 * sent once so that the route takes it and once so that it goes on to REST ({@code Accept} with two
 * media types, which the route leaves to REST) must get the same answer, for tokens and for every
 * refusal. The route's own count tells which of them answered.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class TokenFetchRouteTest {

  private static final String CONSUMER = "svc-route";
  private static final String JSON = "application/json";
  private static final String TO_REST = "application/json, */*";

  @Inject TokenFetchRoute route;
  @Inject AuditTrail audit;

  private PinterestStandIn pinterest;
  private UUID id;

  @BeforeEach
  void link() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    id = LinkedAccounts.linkNew(pinterest, "route", CONSUMER).id();
  }

  private long answeredByRoute() {
    return ((TokenFetchRoute) ClientProxy.unwrap(route)).answered();
  }

  /**
   * The route's answer and REST's to the same request, each checked to come from where it should.
   */
  private List<Response> bothDoors(
      String caller, UUID connection, UnaryOperator<RequestSpecification> request) {
    long before = answeredByRoute();
    Response fromRoute =
        request
            .apply(given().auth().oauth2(CallerTokens.token(caller, "token-consumer")))
            .post("/v1/connections/" + connection + "/access-token");
    assertThat(answeredByRoute()).as("answered by the route").isEqualTo(before + 1);
    Response fromRest =
        request
            .apply(
                given()
                    .auth()
                    .oauth2(CallerTokens.token(caller, "token-consumer"))
                    .header("Accept", TO_REST))
            .post("/v1/connections/" + connection + "/access-token");
    assertThat(answeredByRoute()).as("answered by REST").isEqualTo(before + 1);
    return List.of(fromRoute, fromRest);
  }

  private static Map<String, Object> comparable(Response response) {
    Map<String, Object> seen = new HashMap<>();
    seen.put("status", response.statusCode());
    for (String header :
        List.of("Content-Type", "Cache-Control", "Pragma", "Retry-After", "WWW-Authenticate")) {
      seen.put(header, response.header(header));
    }
    Map<String, Object> body = new HashMap<>(response.jsonPath().getMap("$"));
    // Computed from the clock at each answer; checked apart.
    Object expiresIn = body.remove("expires_in");
    seen.put("expires_in present", expiresIn != null);
    seen.put("body", body);
    return seen;
  }

  private void sameAnswer(int status, UnaryOperator<RequestSpecification> request) {
    sameAnswer(CONSUMER, id, status, request);
  }

  private void sameAnswer(
      String caller, UUID connection, int status, UnaryOperator<RequestSpecification> request) {
    List<Response> answers = bothDoors(caller, connection, request);
    assertThat(answers.get(0).statusCode()).isEqualTo(status);
    assertThat(comparable(answers.get(0))).isEqualTo(comparable(answers.get(1)));
  }

  private static UnaryOperator<RequestSpecification> json(String body) {
    return r -> r.contentType(JSON).body(body);
  }

  @Test
  void aCachedTokenIsTheSameAnswerFromTheRouteAsFromRest() {
    sameAnswer(200, json("{}"));
    sameAnswer(200, json("{\"min_ttl_seconds\":60,\"scopes\":[\"boards:read\"]}"));
    sameAnswer(200, json("null"));
    sameAnswer(200, r -> r.contentType("application/json; charset=UTF-8").body("{}"));
    assertThat(pinterest.tokenCalls()).isZero();
  }

  @Test
  void anEmptyOrBlankBodyIsServedByTheRouteAsByRest() {
    sameAnswer(200, json(""));
    sameAnswer(200, json("  \n "));
  }

  @Test
  void aPostWithoutBodyOrContentTypeIsServedByTheRouteAsByRest() throws Exception {
    // REST Assured gives a bodiless POST a form content type; curl -X POST sends neither.
    HttpClient client = HttpClient.newHttpClient();
    String token = CallerTokens.token(CONSUMER, "token-consumer");
    URI uri =
        URI.create(
            RestAssured.baseURI
                + ":"
                + RestAssured.port
                + "/v1/connections/"
                + id
                + "/access-token");
    long before = answeredByRoute();
    HttpResponse<String> fromRoute =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> fromRest =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .header("Accept", TO_REST)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answeredByRoute()).isEqualTo(before + 1);
    assertThat(fromRoute.statusCode()).isEqualTo(200);
    assertThat(fromRest.statusCode()).isEqualTo(200);
    assertThat(fromRoute.headers().firstValue("Content-Type"))
        .isEqualTo(fromRest.headers().firstValue("Content-Type"));
    assertThat(fromRoute.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(fromRoute.body().replaceAll("\"expires_in\":\\d+", ""))
        .isEqualTo(fromRest.body().replaceAll("\"expires_in\":\\d+", ""));
  }

  @Test
  void unreadableBodiesAreTheSameProblemFromTheRouteAsFromRest() {
    sameAnswer(400, json("{"));
    sameAnswer(400, json("{} {}"));
    sameAnswer(400, json("[]"));
    sameAnswer(400, json("{\"bogus\":1}"));
    sameAnswer(400, json("{\"scopes\":[\"a\"],\"scopes\":[\"b\"]}"));
    sameAnswer(400, json("{\"min_ttl_seconds\":\"60\"}"));
    sameAnswer(400, json("{\"min_ttl_seconds\":1.5}"));
  }

  @Test
  void invalidValuesAndRefusalsAreTheSameProblemFromTheRouteAsFromRest() {
    sameAnswer(400, json("{\"min_ttl_seconds\":-1}"));
    sameAnswer(400, json("{\"min_ttl_seconds\":2592001}"));
    sameAnswer(400, json("{\"scopes\":[\"two words\"]}"));
    sameAnswer(403, json("{\"scopes\":[\"ads:write\"]}"));
    sameAnswer("svc-not-listed", id, 404, json("{}"));
  }

  @Test
  void aConnectionNotInMemoryIsLookedUpOnAWorkerAndAnsweredAsRestAnswersIt() {
    sameAnswer(CONSUMER, UUID.randomUUID(), 404, json("{}"));
  }

  @Test
  void aRefusalIsAuditedOnceByEitherDoor() {
    bothDoors("svc-not-listed", id, json("{}"));
    audit.flush();

    long denied =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    AuditEvent.count(
                        "action = ?1 and connectionId = ?2 and actor = ?3",
                        "token.denied",
                        id,
                        "svc-not-listed"));
    assertThat(denied).isEqualTo(2);
  }

  @Test
  void requestsTheRouteCannotAnswerExactlyAsRestWouldGoOnToRest() {
    long before = answeredByRoute();
    String caller = CallerTokens.token(CONSUMER, "token-consumer");
    String path = "/v1/connections/" + id + "/access-token";

    given()
        .auth()
        .oauth2(caller)
        .contentType("text/plain")
        .body("{}")
        .post(path)
        .then()
        .statusCode(415);
    given()
        .auth()
        .oauth2(caller)
        .accept("text/plain")
        .contentType(JSON)
        .body("{}")
        .post(path)
        .then()
        .statusCode(406);
    given()
        .auth()
        .oauth2(caller)
        .contentType(JSON)
        .body("{\"scopes\":[\"" + "s".repeat(TokenFetchRoute.MAX_BODY_BYTES) + "\"]}")
        .post(path)
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2("not-a-jwt")
        .contentType(JSON)
        .body("{}")
        .post(path)
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(caller)
        .contentType(JSON)
        .body("{}")
        .post("/v1/connections/not-a-uuid/access-token")
        .then()
        .statusCode(404);

    assertThat(answeredByRoute()).isEqualTo(before);
  }
}
