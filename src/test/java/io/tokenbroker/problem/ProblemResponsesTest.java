package io.tokenbroker.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.Connections;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way a request can be wrong is answered as RFC 9457 problem+json and changes nothing. */
@QuarkusTest
class ProblemResponsesTest {

  private static ValidatableResponse assertProblem(
      ValidatableResponse response, int status, String code) {
    return response
        .statusCode(status)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(status))
        .body("code", equalTo(code))
        .body("type", equalTo("urn:token-broker:problem:" + code))
        .body("title", org.hamcrest.Matchers.notNullValue())
        .body("detail", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void unknownRouteAnswersNotFoundProblem() {
    assertProblem(given().get("/no/such/route").then(), 404, "not_found");
    assertProblem(
        given().auth().oauth2(CallerTokens.admin()).get("/v1/no-such-resource").then(),
        404,
        "not_found");
  }

  @Test
  void anonymousRequestToAnyApiPathIsRefusedBeforeRouting() {
    assertProblem(given().get("/v1/no-such-resource").then(), 401, "unauthenticated");
    assertProblem(
        given().contentType("application/json").body("{bad").post("/v1/connections").then(),
        401,
        "unauthenticated");
  }

  @Test
  void unknownFieldAnswersBadRequestAndChangesNothing() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    assertProblem(
            given()
                .auth()
                .oauth2(CallerTokens.admin())
                .contentType("application/json")
                .body("{\"allowed_callers\": [\"svc-b\"], \"owner\": \"x\"}")
                .put("/v1/connections/" + id + "/callers")
                .then(),
            400,
            "malformed_request")
        .body("detail", org.hamcrest.Matchers.containsString("owner"));
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void missingJwtAnswersUnauthenticatedProblemWithBearerChallenge() {
    assertProblem(given().get("/v1/connections").then(), 401, "unauthenticated")
        .header("WWW-Authenticate", "Bearer");
  }

  @Test
  void malformedJwtAnswersUnauthenticatedProblem() {
    assertProblem(
        given().auth().oauth2("not-a-jwt").get("/v1/connections").then(), 401, "unauthenticated");
  }

  @Test
  void callerWithoutAdminRoleIsForbidden() {
    assertProblem(
        given()
            .auth()
            .oauth2(CallerTokens.token("svc-a", "token-consumer"))
            .get("/v1/connections")
            .then(),
        403,
        "forbidden");
  }

  @Test
  void malformedJsonAnswersBadRequestAndChangesNothing() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    assertProblem(
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("application/json")
            .body("{bad")
            .put("/v1/connections/" + id + "/callers")
            .then(),
        400,
        "malformed_request");
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void wrongFieldTypeAnswersBadRequestNamingTheField() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    assertProblem(
            given()
                .auth()
                .oauth2(CallerTokens.admin())
                .contentType("application/json")
                .body("{\"allowed_callers\": \"svc-b\"}")
                .put("/v1/connections/" + id + "/callers")
                .then(),
            400,
            "malformed_request")
        .body("detail", org.hamcrest.Matchers.containsString("allowed_callers"));
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void invalidCallerNameAnswersValidationProblemAndChangesNothing() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    assertProblem(
            given()
                .auth()
                .oauth2(CallerTokens.admin())
                .contentType("application/json")
                .body("{\"allowed_callers\": [\"svc b\", \"ok\"]}")
                .put("/v1/connections/" + id + "/callers")
                .then(),
            400,
            "validation_failed")
        .body("errors.size()", equalTo(1));
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void wrongMediaTypeAnswersUnsupportedMediaTypeProblem() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    assertProblem(
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("text/plain")
            .body("allowed_callers=svc-b")
            .put("/v1/connections/" + id + "/callers")
            .then(),
        415,
        "unsupported_media_type");
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void bodyOverSizeLimitAnswersPayloadTooLargeAndChangesNothing() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    String huge = "{\"allowed_callers\": [\"" + "a".repeat(70 * 1024) + "\"]}";
    assertProblem(
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .contentType("application/json")
            .body(huge)
            .put("/v1/connections/" + id + "/callers")
            .then(),
        413,
        "payload_too_large");
    assertThat(Connections.load(id).allowedCallers).containsExactly("svc-a");
  }

  @Test
  void wrongMethodAnswersMethodNotAllowedProblem() {
    assertProblem(
        given().auth().oauth2(CallerTokens.admin()).delete("/v1/connections").then(),
        405,
        "method_not_allowed");
  }

  @Test
  void idThatIsNotAUuidAnswersNotFound() {
    assertProblem(
        given().auth().oauth2(CallerTokens.admin()).get("/v1/connections/..%2F..%2Fetc").then(),
        404,
        "not_found");
  }

  @Test
  void validCallersUpdateReplacesTheList() {
    UUID id = Connections.seed("pinterest", Set.of("svc-a"));
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .contentType("application/json")
        .body("{\"allowed_callers\": [\"svc-b\", \"svc-c\"]}")
        .put("/v1/connections/" + id + "/callers")
        .then()
        .statusCode(200)
        .body("allowed_callers", org.hamcrest.Matchers.contains("svc-b", "svc-c"));
    assertThat(Connections.load(id).allowedCallers).containsExactlyInAnyOrder("svc-b", "svc-c");
  }
}
