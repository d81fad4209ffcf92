package io.tokenbroker.caller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * A genuine, correctly signed caller token whose name claim no administrator could list in {@code
 * allowed_callers} is refused like any bad token: 401, and the name never reaches a log line.
 */
@QuarkusTest
class CallerNameClaimTest {

  @Test
  void callerNameOutsideTheAllowedCallersGrammarIsUnauthenticated() {
    String[] hostile = {
      "svc-a\naudit action=token.issued outcome=ok actor=admin-tool",
      "svc-a\r\nX-Forged: 1",
      "svc\u0000a",
      "svc\u001b[31ma",
      "svc\u007fa",
      "svc a",
      "svc-a,svc-b",
      "svc-\u00e4",
      "x".repeat(256),
    };
    for (String name : hostile) {
      given()
          .auth()
          .oauth2(CallerTokens.token(name, "token-consumer", "broker-admin"))
          .get("/v1/test/caller")
          .then()
          .statusCode(401)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("unauthenticated"));
    }
  }

  @Test
  void controlCharactersInTheCallerNameNeverReachALogLine() {
    try (LogCapture logs = LogCapture.onRootLogger()) {
      given()
          .auth()
          .oauth2(CallerTokens.token("forged\nINFO audit line", "token-consumer"))
          .get("/v1/test/caller")
          .then()
          .statusCode(401);
      assertThat(logs.lines())
          .extracting(LogCapture.Line::text)
          .noneMatch(text -> text.contains("forged") || text.contains("INFO audit line"));
    }
  }

  @Test
  void everyNameTheGrammarAllowsStillAuthenticates() {
    for (String name :
        new String[] {"svc-a", "spiffe://cluster/ns/app/sa/svc", "a", "x".repeat(255)}) {
      given()
          .auth()
          .oauth2(CallerTokens.token(name, "token-consumer"))
          .get("/v1/test/caller")
          .then()
          .statusCode(200)
          .body("name", equalTo(name));
    }
  }
}
