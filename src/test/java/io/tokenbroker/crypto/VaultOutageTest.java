package io.tokenbroker.crypto;

import static io.restassured.RestAssured.given;
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
import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource.InjectVaultStandIn;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vault going away degrades what needs it, not what the broker already holds. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultOutageTest {

  @InjectVaultStandIn VaultStandIn vault;
  @Inject TokenCipher cipher;
  @Inject SecretStore secrets;
  @Inject KeyRotation rotation;

  @AfterEach
  void vaultIsBack() {
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
    assertThat(vaultCheck().getBoolean("data.reachable")).isTrue();

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
    String health;
    try (LogCapture logs = LogCapture.onRootLogger()) {
      health = given().get("/q/health/ready").then().extract().body().asString();
      down = vaultCheck();
      assertThat(logs.lines())
          .as("the details are in the log")
          .anySatisfy(
              line -> assertThat(line.text()).contains("look up the broker's own Vault token"));
    }
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

    assertThat(vaultCheck().getBoolean("data.reachable")).isTrue();
    assertThat(secrets.reload("outage").current()).isEqualTo("cached-secret");
    assertThat(cipher.decrypt(stored, aad)).isEqualTo("still-readable");
  }

  @Test
  void revokedVaultTokenIsReplacedByANewAppRoleLogin() {
    vault.putSecret("token-broker/providers/relogin", Map.of("client_secret", "after-relogin"));
    secrets.reload("relogin");
    int loginsBefore = vault.logins("approle");

    vault.revokeLoginTokens();

    assertThat(secrets.reload("relogin").current()).isEqualTo("after-relogin");
    assertThat(vault.logins("approle")).isEqualTo(loginsBefore + 1);
  }

  private static void assertServiceUnavailable(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE))
        .hasMessageContaining("Vault");
  }

  private static JsonPath vaultCheck() {
    JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
    return new JsonPath(health.prettify()).setRootPath("checks.find { it.name == 'vault' }");
  }
}
