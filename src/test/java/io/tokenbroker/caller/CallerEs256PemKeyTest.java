package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenbroker.support.CallerTokens;
import org.junit.jupiter.api.Test;

/**
 * An EC key configured as PEM verifies ES256 tokens, however SmallRye JWT orders the allowed
 * algorithms (the RS256 PEM path is covered by every other test).
 */
@QuarkusTest
@TestProfile(Es256PemKeyProfile.class)
class CallerEs256PemKeyTest {

  @Test
  void es256TokenVerifiedByAConfiguredPemKeyIsAccepted() {
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("admin-tool", "broker-admin"))
        .get("/v1/connections")
        .then()
        .statusCode(200);
  }

  @Test
  void rs256TokenIsRefusedWhenOnlyAnEcKeyIsTrusted() {
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .get("/v1/connections")
        .then()
        .statusCode(401)
        .body("code", equalTo("unauthenticated"));
  }
}
