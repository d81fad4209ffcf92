package io.tokenbroker.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Without Vault the broker encrypts with its local key file and reads secrets from config. */
@QuarkusTest
class EmbeddedDefaultCryptoTest {

  @Inject TokenCipher cipher;
  @Inject SecretStore secrets;
  @Inject CryptoConfig config;

  @Test
  void withoutVaultTheCipherUsesTheLocalKeyFileCreatedOwnerOnly() throws Exception {
    String aad = TokenCipher.aad("connection", "row", "access_token");
    String envelope = cipher.encrypt("pina_access", aad);

    assertThat(envelope).startsWith("tb1:local-");
    assertThat(cipher.decrypt(envelope, aad)).isEqualTo("pina_access");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.localKeyFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void withoutVaultReadinessSaysVaultIsNotConfigured() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'vault' }.status", equalTo("UP"))
        .body(
            "checks.find { it.name == 'vault' }.data.mode",
            equalTo("not configured (embedded default)"));
  }

  @Test
  void withoutVaultSecretsComeFromConfigurationAndAMissingOneIsServiceUnavailable() {
    assertThat(secrets).isInstanceOf(ConfigSecretStore.class);
    assertThatThrownBy(() -> secrets.clientSecret("no-such-provider"))
        .isInstanceOf(BrokerException.class)
        .satisfies(
            e ->
                assertThat(((BrokerException) e).code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE))
        .hasMessageContaining("broker.providers.no-such-provider.client-secret");
  }
}
