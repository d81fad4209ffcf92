package io.tokenbroker.crypto;

import static io.restassured.RestAssured.given;
import static io.tokenbroker.support.Readiness.reachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.LogCapture;
import io.tokenbroker.support.Poll;
import io.tokenbroker.support.Readiness;
import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource.InjectVaultStandIn;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vault going away degrades what needs it, not what the broker already holds. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultOutageTest {

  /** Readiness is checked in the background: a change shows within about one check interval. */
  private static final Duration CHECK_DEADLINE = Duration.ofSeconds(20);

  @InjectVaultStandIn VaultStandIn vault;
  @Inject TokenCipher cipher;
  @Inject SecretStore secrets;
  @Inject KeyRotation rotation;

  @AfterEach
  void vaultIsBack() {
    vault.answerAgain();
    if (!vault.running()) {
      vault.restart();
    }
  }

  @Test
  void vaultDownAndBackDoesNotInterruptDecryptionAndReadinessReportsItWithoutInternals() {
    String aad = TokenCipher.aad("connection", "outage-row", "access_token");
    String stored = cipher.encrypt("still-readable", aad);
    vault.putSecret("token-broker/providers/outage", Map.of("client_secret", "cached-secret"));
    secrets.clientSecret("outage");
    Poll.until("readiness reports Vault reachable", CHECK_DEADLINE, () -> reachable("vault"));

    // The background readiness check logs Vault's own message once, when it first meets it.
    LogCapture logs = LogCapture.onRootLogger();
    vault.stop();

    assertThat(cipher.decrypt(stored, aad)).isEqualTo("still-readable");
    assertThat(cipher.decrypt(cipher.encrypt("written-during-outage", aad), aad))
        .isEqualTo("written-during-outage");
    assertThat(secrets.clientSecret("outage").current())
        .as("a cached secret keeps serving")
        .isEqualTo("cached-secret");
    assertServiceUnavailable(() -> secrets.reload("outage"));
    assertServiceUnavailable(() -> rotation.rotate());
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("broker_vault_errors_total{operation=\"kv_read\"}"));
    JsonPath down;
    try (logs) {
      Poll.until("readiness reports Vault unreachable", CHECK_DEADLINE, () -> !reachable("vault"));
      down = Readiness.check("vault");
      assertThat(logs.lines())
          .as("the details are in the log")
          .anySatisfy(
              line -> assertThat(line.text()).contains("look up the broker's own Vault token"));
    }
    String health = given().get("/q/health/ready").then().extract().body().asString();
    assertThat(down.getString("status")).isEqualTo("UP");
    assertThat(down.getBoolean("data.reachable")).isFalse();
    assertThat(down.getString("data.problem"))
        .isEqualTo("Vault did not answer as expected; the details are logged");
    assertThat(health)
        .as("no Vault message, path, Transit key or data key id to whoever reaches the port")
        .doesNotContain("look up")
        .doesNotContain("token-broker/")
        .doesNotContain("transit")
        .doesNotContain("dk-");
    Response rotate =
        given()
            .auth()
            .oauth2(CallerTokens.admin())
            .header("X-Request-Id", "req-vault-down")
            .post("/v1/admin/keys/rotate");
    assertThat(rotate.statusCode()).isEqualTo(503);
    assertThat(rotate.jsonPath().getString("code")).isEqualTo("service_unavailable");
    assertThat(rotate.jsonPath().getString("request_id")).isEqualTo("req-vault-down");
    assertThat(rotate.jsonPath().getString("detail"))
        .contains("req-vault-down")
        .doesNotContain("Vault")
        .doesNotContain("could not");

    vault.restart();

    Poll.until("readiness reports Vault reachable again", CHECK_DEADLINE, () -> reachable("vault"));
    assertThat(secrets.reload("outage").current()).isEqualTo("cached-secret");
    assertThat(cipher.decrypt(stored, aad)).isEqualTo("still-readable");
  }

  @Test
  void hungVaultLeavesReadinessAnsweringWithinASecondUpAndReportingVaultUnreachable() {
    Poll.until("readiness reports Vault reachable", CHECK_DEADLINE, () -> reachable("vault"));

    vault.hang();
    try {
      Poll.until("readiness reports Vault unreachable", CHECK_DEADLINE, () -> !reachable("vault"));
      JsonPath hung = Readiness.check("vault");
      assertThat(hung.getString("status"))
          .as("keys in memory still serve stored tokens")
          .isEqualTo("UP");
      assertThat(hung.getString("data.problem")).isNotBlank();
      // Answered from memory while the background check still waits on Vault.
      assertThat(Readiness.askPromptly().getString("status")).isEqualTo("UP");
    } finally {
      vault.answerAgain();
    }

    Poll.until("readiness reports Vault reachable again", CHECK_DEADLINE, () -> reachable("vault"));
  }

  @Test
  void revokedVaultTokenIsReplacedByANewAppRoleLogin() {
    vault.putSecret("token-broker/providers/relogin", Map.of("client_secret", "after-relogin"));
    secrets.reload("relogin");
    int loginsBefore = vault.logins("approle");

    vault.revokeLoginTokens();

    assertThat(secrets.reload("relogin").current()).isEqualTo("after-relogin");
    // The background readiness check may meet the revoked token first and log in itself.
    assertThat(vault.logins("approle")).isGreaterThan(loginsBefore);
  }

  private static void assertServiceUnavailable(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE))
        .hasMessageContaining("Vault");
  }
}
