package io.tokenbroker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import org.junit.jupiter.api.Test;

/** The mistakes a newcomer makes first get answers that say what to do. */
@QuarkusTest
class FirstContactTest {

  @Test
  void tokenRequestWithTheConnectionIdMissingIsA404SayingSoNotA405() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-new", "token-consumer"))
        .contentType("application/json")
        .body("{}")
        .urlEncodingEnabled(false)
        .post("/v1/connections//access-token")
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("not_found"))
        .body("detail", containsString("connection id is missing"))
        .body("detail", containsString("GET /v1/connections"));
  }

  @Test
  void unknownProviderIsNamedAndTheProviderListIsPointedAt() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-new", "token-consumer"))
        .contentType("application/json")
        .body("{}")
        .post("/v1/providers/pinterst/client-token")
        .then()
        .statusCode(404)
        .body("code", equalTo("not_found"))
        .body("detail", containsString("'pinterst'"))
        .body("detail", containsString("GET /v1/providers"));
  }
}
