package io.tokenbroker.problem;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tokenbroker.connection.Connection;
import io.tokenbroker.crypto.TokenCipher;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.Connections;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.upstream.PinterestStandInResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the broker answers a generic problem that carries the request id; what went
 * wrong (associated data, data-key ids) is written to the log line with that id, not to the caller.
 */
@QuarkusTest
@WithTestResource(
    value = PinterestStandInResource.class,
    initArgs = @ResourceArg(name = "preset", value = "pinterest"))
class InternalDetailsStayInLogsTest {

  @Inject TokenCipher cipher;

  @Test
  void ciphertextOfAnotherRowAnswersAGenericProblemWithTheRequestIdAndLogsTheDetails() {
    // A ciphertext sealed for another row: it does not authenticate for this one.
    String moved =
        cipher.encrypt(
            "moved-token", TokenCipher.aad("connection", UUID.randomUUID(), "access_token"));
    fetchAnswersGenericProblem(moved, moved.split(":")[1], "did not authenticate", "req-int-1");
  }

  @Test
  void ciphertextUnderAKeyNotHeldAnswersAGenericProblemWithoutTheKeyId() {
    String[] parts = cipher.encrypt("x", "connection:x:access_token").split(":");
    String unknownKey = "dk-not-held-by-anyone";
    String envelope = parts[0] + ":" + unknownKey + ":" + parts[2] + ":" + parts[3];
    fetchAnswersGenericProblem(envelope, unknownKey, unknownKey, "req-int-2");
  }

  private void fetchAnswersGenericProblem(
      String storedEnvelope, String keyId, String loggedDetail, String requestId) {
    UUID id = Connections.seed("pinterest", Set.of("svc-internal"));
    String moved = storedEnvelope;
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Connection c = Connection.findById(id);
              c.accessTokenEnc = moved;
              c.accessTokenExpiresAt = Instant.now().plus(Duration.ofDays(20));
              c.lastRefreshedAt = Instant.now();
            });

    try (LogCapture logs = LogCapture.onRootLogger()) {
      Response answer =
          given()
              .auth()
              .oauth2(CallerTokens.token("svc-internal", "token-consumer"))
              .header("X-Request-Id", requestId)
              .contentType("application/json")
              .body("{}")
              .post("/v1/connections/" + id + "/access-token");

      assertThat(answer.statusCode()).isEqualTo(500);
      assertThat(answer.jsonPath().getString("code")).isEqualTo("internal_error");
      assertThat(answer.jsonPath().getString("request_id")).isEqualTo(requestId);
      assertThat(answer.jsonPath().getString("detail")).contains(requestId);
      assertThat(answer.body().asString())
          .doesNotContain("connection:")
          .doesNotContain(id.toString() + ":")
          .doesNotContain(keyId)
          .doesNotContain("authenticate")
          .doesNotContain("moved-token");
      assertThat(logs.lines())
          .as("the details are logged, under the request id")
          .anySatisfy(
              line -> {
                assertThat(line.requestId()).isEqualTo(requestId);
                assertThat(line.text()).contains(loggedDetail);
              });
    }
  }
}
