package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.tokenbroker.support.CallerTokens;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** Caller tokens verified against an issuer's JWKS URL, ES256 and RS256 alike. */
@QuarkusTest
@TestProfile(JwksIssuerProfile.class)
class CallerJwksTest {

  private static void assertUnauthenticated(String token) {
    given()
        .auth()
        .oauth2(token)
        .get("/v1/connections")
        .then()
        .statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("unauthenticated"));
  }

  @Test
  void validEs256TokenFromTheJwksIsAccepted() {
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("admin-tool", "broker-admin"))
        .get("/v1/connections")
        .then()
        .statusCode(200);
    assertThat(CallerJwksServer.REQUESTS.get()).isPositive();
  }

  @Test
  void validRs256TokenFromTheJwksIsAccepted() {
    given()
        .auth()
        .oauth2(CallerTokens.rs256TokenWithKeyId("admin-tool", "broker-admin"))
        .get("/v1/connections")
        .then()
        .statusCode(200);
  }

  @Test
  void es256TokenSignedByAnotherKeyUnderAKnownKeyIdIsRefused() throws Exception {
    // Not CallerTokens.generateEc(): its keys come from a fixed seed, so it would return the
    // trusted pair.
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    assertUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .jws()
            .algorithm(SignatureAlgorithm.ES256)
            .keyId(CallerTokens.ES256_KEY_ID)
            .sign(ec.generateKeyPair().getPrivate()));
  }

  @Test
  void tokenNamingAKeyIdTheIssuerDoesNotPublishIsRefused() {
    assertUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .jws()
            .keyId("unknown-key")
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void es256TokenConsumerCallingAnAdminEndpointIsForbidden() {
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("svc-app", "token-consumer"))
        .get("/v1/connections")
        .then()
        .statusCode(403)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("forbidden"));
  }

  @Test
  void tokenConsumerListedForAProviderMayUseItsClientCredentials() {
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("svc-other", "token-consumer"))
        .queryParam("provider", "app.provider")
        .get("/v1/test/caller/client-credentials")
        .then()
        .statusCode(200)
        .body("name", equalTo("svc-other"));
  }

  @Test
  void callerNotListedForAProviderOrWithoutTheRoleIsForbiddenItsClientCredentials() {
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("svc-stranger", "token-consumer"))
        .queryParam("provider", "app.provider")
        .get("/v1/test/caller/client-credentials")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    given()
        .auth()
        .oauth2(CallerTokens.es256Token("svc-app", "broker-admin"))
        .queryParam("provider", "app.provider")
        .get("/v1/test/caller/client-credentials")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
  }
}
