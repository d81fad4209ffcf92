package io.tokenbroker.logging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.audit.AuditEvent;
import io.tokenbroker.audit.AuditTrail;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.PinterestFlows;
import io.tokenbroker.support.upstream.PinterestStandIn;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries X-Request-Id, and the id is in the MDC of the threads that serve the request
 * (blocking endpoints run on worker threads), so audit rows and log lines name it.
 */
@QuarkusTest
// The Pinterest stand-in set up as for LinkPinterestAccountTest, but shared: every observability
// test class runs against one application (restrictToAnnotatedClass would restart it per class).
@WithTestResource(
    value = PinterestStandInResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class RequestIdTest {

  private static final String HEADER = "X-Request-Id";

  @Inject AuditTrail audit;

  private PinterestStandIn pinterest;
  private PinterestFlows flows;

  @BeforeEach
  void cleanUpstream() {
    pinterest = PinterestStandInResource.pinterest();
    pinterest.reset();
    flows = new PinterestFlows(pinterest);
  }

  private static String freshId() {
    return "req-" + UUID.randomUUID();
  }

  private static List<AuditEvent> auditRows(String requestId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> AuditEvent.<AuditEvent>list("requestId", requestId));
  }

  @Test
  void callersRequestIdIsEchoedAndNamesTheAuditRowsWrittenWhileServingIt() {
    String started = freshId();
    given()
        .header(HEADER, started)
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"]}")
        .post("/v1/authorizations")
        .then()
        .statusCode(201)
        .header(HEADER, started);
    assertThat(auditRows(started))
        .extracting(e -> e.action)
        .containsExactly("authorization.started");

    UUID id = flows.link("request-id-pinner");
    String fetched = freshId();
    given()
        .header(HEADER, fetched)
        .auth()
        .oauth2(CallerTokens.token(PinterestFlows.CONSUMER, "token-consumer"))
        .contentType("application/json")
        .body("{}")
        .post("/v1/connections/" + id + "/access-token")
        .then()
        .statusCode(200)
        .header(HEADER, fetched);
    // Token issuance queues its row; writing the queue now stands in for the next batch.
    audit.flush();
    assertThat(auditRows(fetched)).extracting(e -> e.action).containsExactly("token.issued");
  }

  @Test
  void requestWithoutAUsableIdGetsAFreshOne() {
    Response none = given().get("/q/health/live");
    Response unsafe = given().header(HEADER, "id with spaces <script>").get("/q/health/live");
    Response tooLong = given().header(HEADER, "x".repeat(65)).get("/q/health/live");

    for (Response response : List.of(none, unsafe, tooLong)) {
      String id = response.header(HEADER);
      assertThat(id).isNotNull();
      assertThat(UUID.fromString(id)).isNotNull();
    }
    assertThat(none.header(HEADER)).isNotEqualTo(unsafe.header(HEADER));
  }

  @Test
  void problemAnswersCarryTheRequestIdToo() {
    String unauthenticated = freshId();
    given()
        .header(HEADER, unauthenticated)
        .get("/v1/connections")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header(HEADER, unauthenticated);

    String unknownPath = freshId();
    given()
        .header(HEADER, unknownPath)
        .get("/nothing/is/served/here")
        .then()
        .statusCode(404)
        .header(HEADER, unknownPath);

    String malformed = freshId();
    given()
        .header(HEADER, malformed)
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{bad")
        .post("/v1/authorizations")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .header(HEADER, malformed);

    String oversized = freshId();
    given()
        .header(HEADER, oversized)
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{\"label\":\"" + "x".repeat(70_000) + "\"}")
        .post("/v1/authorizations")
        .then()
        .statusCode(413)
        .header(HEADER, oversized);
  }

  @Test
  void logLinesWrittenWhileServingARequestCarryItsIdInTheMdc() {
    String id = freshId();
    try (LogCapture logs = LogCapture.onRootLogger()) {
      given()
          .header(HEADER, id)
          .auth()
          .oauth2(CallerTokens.admin())
          .contentType("application/json")
          .body("{\"provider\":\"pinterest\",\"scopes\":[\"boards:read\"]}")
          .post("/v1/authorizations")
          .then()
          .statusCode(201);

      assertThat(logs.lines())
          .filteredOn(line -> line.logger().equals("token-broker.audit"))
          .filteredOn(line -> line.text().contains("authorization.started"))
          .extracting(LogCapture.Line::requestId)
          .contains(id);
    }
  }
}
