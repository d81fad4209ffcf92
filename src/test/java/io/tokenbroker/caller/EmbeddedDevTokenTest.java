package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On the embedded default without an identity provider, the broker trusts a key pair of its own and
 * mints caller tokens at {@code POST /dev/caller-token}; those tokens then work like any other.
 */
@QuarkusTest
@TestProfile(EmbeddedDefaultProfile.class)
class EmbeddedDevTokenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ExtractableResponse<Response> mint(String body) {
    return given()
        .contentType("application/json")
        .body(body)
        .post("/dev/caller-token")
        .then()
        .extract();
  }

  private static String mintToken(String body) {
    ExtractableResponse<Response> minted = mint(body);
    assertThat(minted.statusCode()).as(minted.body().asString()).isEqualTo(200);
    return minted.path("token");
  }

  private static JsonNode claimsOf(String token) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  @Test
  void firstStartCreatesAnOwnerOnlyKeyPairInTheDataDirectory() throws Exception {
    Path keys = EmbeddedDefaultProfile.DATA_DIR.resolve("keys");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rwx------");
    for (String file : new String[] {"caller-jwt-private.pem", "caller-jwt-public.pem"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(file))))
          .as(file)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void mintedAdminTokenIsAcceptedOnAnAdminEndpoint() {
    ExtractableResponse<Response> minted =
        mint("{\"subject\": \"me\", \"groups\": [\"broker-admin\"]}");
    assertThat(minted.statusCode()).isEqualTo(200);
    assertThat(minted.header("Cache-Control")).isEqualTo("no-store");
    assertThat(minted.contentType()).startsWith("application/json");

    given()
        .auth()
        .oauth2(minted.<String>path("token"))
        .get("/v1/connections")
        .then()
        .statusCode(200);
  }

  @Test
  void mintedTokenConsumerIsForbiddenOnAnAdminEndpoint() {
    String token = mintToken("{\"subject\": \"svc-a\", \"groups\": [\"token-consumer\"]}");

    given()
        .auth()
        .oauth2(token)
        .get("/v1/connections")
        .then()
        .statusCode(403)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("forbidden"));
  }

  @Test
  void mintedTokenNamesTheCallerForThePolicy() {
    String token =
        mintToken("{\"subject\": \"svc-a\", \"groups\": [\"token-consumer\", \"broker-admin\"]}");

    given()
        .auth()
        .oauth2(token)
        .get("/v1/test/caller")
        .then()
        .statusCode(200)
        .body("name", equalTo("svc-a"));
  }

  @Test
  void mintedTokenCarriesTheVerifiedIssuerAudienceAndRequestedLifetime() throws Exception {
    ExtractableResponse<Response> minted =
        mint("{\"subject\": \"svc-a\", \"groups\": [\"token-consumer\"], \"ttl_seconds\": 120}");
    JsonNode claims = claimsOf(minted.path("token"));

    assertThat(claims.get("iss").asText()).isEqualTo("token-broker-local");
    assertThat(claims.get("aud").toString()).contains("token-broker");
    assertThat(claims.get("sub").asText()).isEqualTo("svc-a");
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(120);
    assertThat(Instant.parse(minted.path("expires_at")).getEpochSecond())
        .isEqualTo(claims.get("exp").asLong());
  }

  @Test
  void tokenFromAKeyOtherThanTheLocalOneIsRefused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);

    given()
        .auth()
        .oauth2(
            CallerTokens.claims("me", "broker-admin")
                .issuer("token-broker-local")
                .sign(rsa.generateKeyPair().getPrivate()))
        .get("/v1/connections")
        .then()
        .statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("unauthenticated"));
  }

  @Test
  void dnsRebindingHostOrCrossSiteOriginGetsNoTokenWhileLoopbackNamesDo() {
    String body = "{\"subject\": \"me\", \"groups\": [\"broker-admin\"]}";
    int port = RestAssured.port;
    String[][] refused = {
      {"rebind.attacker.example:" + port, null},
      {"rebind.attacker.example", null},
      {"localhost.attacker.example:" + port, null},
      {"127.0.0.1:" + (port == 1 ? 2 : port - 1), null},
      {"localhost:" + port, "http://rebind.attacker.example:" + port},
      {"localhost:" + port, "https://evil.example"},
      {"localhost:" + port, "null"},
      {"localhost:" + port, "http://localhost:" + (port == 1 ? 2 : port - 1)},
      {"localhost:" + port, "https://localhost:" + port},
    };
    for (String[] c : refused) {
      RawHttp.Answer answer = RawHttp.postJson("/dev/caller-token", headers(c[0], c[1]), body);
      assertThat(answer.status()).as("Host %s Origin %s", c[0], c[1]).isEqualTo(403);
      assertThat(answer.head()).containsIgnoringCase("Content-Type: application/problem+json");
      assertThat(answer.body()).contains("\"forbidden\"").doesNotContain("token\":");
    }
    String[][] accepted = {
      {"localhost:" + port, null},
      {"LOCALHOST:" + port, "http://localhost:" + port},
      {"127.0.0.1:" + port, "http://127.0.0.1:" + port},
      {"[::1]:" + port, null},
    };
    for (String[] c : accepted) {
      RawHttp.Answer answer = RawHttp.postJson("/dev/caller-token", headers(c[0], c[1]), body);
      assertThat(answer.status()).as("Host %s Origin %s", c[0], c[1]).isEqualTo(200);
      assertThat(answer.body()).contains("\"token\":");
    }
  }

  private static Map<String, String> headers(String host, String origin) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", host);
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return headers;
  }

  @Test
  void anonymousApiRequestsAreStillRefused() {
    given().get("/v1/connections").then().statusCode(401).body("code", equalTo("unauthenticated"));
  }

  @Test
  void invalidMintRequestsAnswerProblems() {
    String[][] cases = {
      {"{\"subject\": \"has space\", \"groups\": []}", "400", "validation_failed"},
      {"{\"subject\": \"svc-a\", \"groups\": [\"root\"]}", "400", "validation_failed"},
      {"{\"subject\": \"svc-a\", \"ttl_seconds\": 0}", "400", "validation_failed"},
      {"{\"groups\": [\"broker-admin\"]}", "400", "validation_failed"},
      {"{\"subject\": \"svc-a\", \"admin\": true}", "400", "malformed_request"},
      {"{bad", "400", "malformed_request"},
      {"{\"subject\": \"me\", \"subject\": \"admin\", \"groups\": []}", "400", "malformed_request"},
      {"[]", "400", "malformed_request"},
    };
    for (String[] c : cases) {
      given()
          .contentType("application/json")
          .body(c[0])
          .post("/dev/caller-token")
          .then()
          .statusCode(Integer.parseInt(c[1]))
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo(c[2]));
    }
    given()
        .contentType("text/plain")
        .body("subject=me")
        .post("/dev/caller-token")
        .then()
        .statusCode(415)
        .body("code", equalTo("unsupported_media_type"));
  }
}
