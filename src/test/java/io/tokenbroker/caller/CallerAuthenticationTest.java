package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.build.Jwt;
import io.tokenbroker.support.CallerTokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Caller JWTs are verified by signature, algorithm, issuer, audience, lifetime and name; every
 * refusal is a 401 problem before any endpoint runs. The broker trusts one RS256 public key here
 * (configured by {@link CallerTokens}), as it would trust a production issuer's PEM key.
 */
@QuarkusTest
class CallerAuthenticationTest {

  @Inject JWTParser parser;

  @Test
  void callerTokensAreVerifiedThroughTheVerifiedTokenMemory() {
    // SmallRye JWT's HTTP mechanism takes its parser from CDI; the memory only helps if it is the
    // parser that CDI hands out.
    assertThat(ClientProxy.unwrap(parser)).isInstanceOf(RememberingCallerTokenParser.class);
  }

  private static final String ADMIN_ENDPOINT = "/v1/connections";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private static ValidatableResponse refusedAsUnauthenticated(String token) {
    return given()
        .auth()
        .oauth2(token)
        .get(ADMIN_ENDPOINT)
        .then()
        .statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .header("WWW-Authenticate", "Bearer")
        .body("status", equalTo(401))
        .body("code", equalTo("unauthenticated"))
        .body("type", equalTo("urn:token-broker:problem:unauthenticated"))
        .body("detail", notNullValue());
  }

  private static String adminClaimsJson(Instant expiresAt) {
    return "{\"iss\":\""
        + CallerTokens.ISSUER
        + "\",\"aud\":\""
        + CallerTokens.AUDIENCE
        + "\",\"sub\":\"intruder\",\"groups\":[\"broker-admin\"],\"iat\":"
        + Instant.now().getEpochSecond()
        + ",\"exp\":"
        + expiresAt.getEpochSecond()
        + "}";
  }

  private static String part(String json) {
    return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validRs256TokenOfAnAdminIsAccepted() {
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .get(ADMIN_ENDPOINT)
        .then()
        .statusCode(200)
        .contentType(startsWith("application/json"));
  }

  @Test
  void unsignedTokenWithAlgNoneIsRefused() {
    String header = part("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String claims = part(adminClaimsJson(Instant.now().plusSeconds(300)));
    refusedAsUnauthenticated(header + "." + claims + ".");
  }

  @Test
  void hs256TokenKeyedWithTheTrustedPublicKeyIsRefused() throws Exception {
    String signingInput =
        part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
            + "."
            + part(adminClaimsJson(Instant.now().plusSeconds(300)));
    // The classic key-confusion attack: the public key (PEM text, then DER) used as HMAC secret.
    for (byte[] secret :
        new byte[][] {
          CallerTokens.pem(CallerTokens.verificationKey()).getBytes(StandardCharsets.US_ASCII),
          CallerTokens.verificationKey().getEncoded()
        }) {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
      String signature =
          B64URL.encodeToString(hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
      refusedAsUnauthenticated(signingInput + "." + signature);
    }
  }

  @Test
  void expiredTokenBeyondClockSkewIsRefused() {
    // 45 s past expiry: outside the 30 s skew (and inside SmallRye's older 60 s grace default).
    Instant now = Instant.now();
    refusedAsUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .issuedAt(now.minusSeconds(600))
            .expiresAt(now.minusSeconds(45))
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenExpiredWithinClockSkewIsAccepted() {
    Instant now = Instant.now();
    given()
        .auth()
        .oauth2(
            CallerTokens.claims("admin-tool", "broker-admin")
                .issuedAt(now.minusSeconds(600))
                .expiresAt(now.minusSeconds(10))
                .sign(CallerTokens.signingKey()))
        .get(ADMIN_ENDPOINT)
        .then()
        .statusCode(200);
  }

  @Test
  void tokenNotYetValidBeyondClockSkewIsRefused() {
    Instant now = Instant.now();
    refusedAsUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .claim("nbf", now.plusSeconds(120).getEpochSecond())
            .expiresAt(now.plusSeconds(600))
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenFromAnotherIssuerIsRefused() {
    refusedAsUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .issuer("https://someone-else.test")
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenForAnotherAudienceIsRefused() {
    refusedAsUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin")
            .audience("another-service")
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenWithoutSubjectIsRefused() {
    refusedAsUnauthenticated(
        Jwt.issuer(CallerTokens.ISSUER)
            .audience(CallerTokens.AUDIENCE)
            .groups(Set.of("broker-admin"))
            .expiresIn(300)
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenNamingItsPrincipalOnlyByUpnIsRefused() {
    // SmallRye JWT alone would accept upn as the principal name; callers are listed by sub.
    refusedAsUnauthenticated(
        Jwt.issuer(CallerTokens.ISSUER)
            .audience(CallerTokens.AUDIENCE)
            .upn("admin-tool")
            .preferredUserName("admin-tool")
            .groups(Set.of("broker-admin"))
            .expiresIn(300)
            .sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenWithBlankSubjectIsRefused() {
    refusedAsUnauthenticated(
        CallerTokens.claims(" ", "broker-admin").sign(CallerTokens.signingKey()));
  }

  @Test
  void tokenWithTamperedSignatureIsRefused() {
    String token = CallerTokens.admin();
    int last = token.length() - 5;
    char flipped = token.charAt(last) == 'A' ? 'B' : 'A';
    refusedAsUnauthenticated(token.substring(0, last) + flipped + token.substring(last + 1));
  }

  @Test
  void tokenWithTamperedClaimsIsRefused() {
    String[] parts = CallerTokens.token("svc-a", "token-consumer").split("\\.");
    String forged = part(adminClaimsJson(Instant.now().plusSeconds(300)));
    refusedAsUnauthenticated(parts[0] + "." + forged + "." + parts[2]);
  }

  @Test
  void bearerValueThatIsNotAJwtIsRefused() {
    refusedAsUnauthenticated("not-a-jwt");
    refusedAsUnauthenticated("a.b.c");
  }

  @Test
  void tokenSignedByAnUnknownKeyIsRefused() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair stranger = generator.generateKeyPair();
    refusedAsUnauthenticated(
        CallerTokens.claims("admin-tool", "broker-admin").sign(stranger.getPrivate()));
  }

  @Test
  void tokenConsumerCallingAnAdminEndpointIsForbidden() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-a", "token-consumer"))
        .get(ADMIN_ENDPOINT)
        .then()
        .statusCode(403)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("forbidden"));
  }

  @Test
  void policySeesTheCallerNamedBySubWithItsRoles() {
    given()
        .auth()
        .oauth2(
            CallerTokens.claims("svc-a", "token-consumer", "broker-admin")
                .upn("someone-else")
                .sign(CallerTokens.signingKey()))
        .get("/v1/test/caller")
        .then()
        .statusCode(200)
        .body("name", equalTo("svc-a"))
        .body("roles", containsInAnyOrder("token-consumer", "broker-admin"));
  }

  @Test
  void policyAloneRefusesAnInvalidTokenOnAnEndpointWithoutSecurityAnnotations() {
    given()
        .auth()
        .oauth2(
            CallerTokens.claims("svc-a")
                .issuer("https://nope.test")
                .sign(CallerTokens.signingKey()))
        .get("/v1/test/caller")
        .then()
        .statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("unauthenticated"));
  }

  @Test
  void policyDenialIsAForbiddenProblem() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-a", "token-consumer"))
        .get("/v1/test/caller/admin")
        .then()
        .statusCode(403)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("forbidden"));
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-a", "token-consumer"))
        .queryParam("allowed", "svc-b")
        .get("/v1/test/caller/connection")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"))
        .body("detail", equalTo("The caller is not allowed to do this."));
  }

  @Test
  void listedTokenConsumerMayUseTheConnection() {
    given()
        .auth()
        .oauth2(CallerTokens.token("svc-a", "token-consumer"))
        .queryParam("allowed", "svc-a")
        .get("/v1/test/caller/connection")
        .then()
        .statusCode(200)
        .body("name", equalTo("svc-a"));
  }

  @Test
  void devTokenDoorDoesNotExistOutsideTheEmbeddedDefault() {
    for (var request :
        new io.restassured.specification.RequestSpecification[] {
          given(), given().auth().oauth2(CallerTokens.admin())
        }) {
      request
          .contentType("application/json")
          .body("{\"subject\":\"me\",\"groups\":[\"broker-admin\"]}")
          .post(DevCallerTokenRoute.PATH)
          .then()
          .statusCode(404)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("not_found"))
          .body("detail", equalTo("Nothing is served at this path."));
    }
  }
}
