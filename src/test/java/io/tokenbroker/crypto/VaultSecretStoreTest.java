package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenbroker.problem.BrokerException;
import io.tokenbroker.problem.ProblemCode;
import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource.InjectVaultStandIn;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With Vault configured, client secrets come from KV v2 through the real quarkus-vault client. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultSecretStoreTest {

  @InjectVaultStandIn VaultStandIn vault;
  @Inject SecretStore secrets;

  @Test
  void clientSecretIsReadFromVaultKvV2WithThePreviousOne() {
    vault.putSecret(
        "token-broker/providers/pinterest",
        Map.of("client_secret", "from-vault", "client_secret_previous", "before-rotation"));

    ClientSecret secret = secrets.clientSecret("pinterest");

    assertThat(secrets).isInstanceOf(VaultSecretStore.class);
    assertThat(secret.current()).isEqualTo("from-vault");
    assertThat(secret.previous()).contains("before-rotation");
    assertThat(secret.toString()).doesNotContain("from-vault");
    assertThat(vault.requests()).contains("GET /v1/secret/data/token-broker/providers/pinterest");
  }

  @Test
  void secretChangedInVaultIsServedAfterReloadWithoutRestart() {
    vault.putSecret("token-broker/providers/rotating", Map.of("client_secret", "first"));
    assertThat(secrets.clientSecret("rotating").current()).isEqualTo("first");

    vault.putSecret("token-broker/providers/rotating", Map.of("client_secret", "second"));

    assertThat(secrets.clientSecret("rotating").current())
        .as("served from the cache until it expires or is reloaded")
        .isEqualTo("first");
    assertThat(secrets.reload("rotating").current()).isEqualTo("second");
    assertThat(secrets.clientSecret("rotating"))
        .isEqualTo(new ClientSecret("second", Optional.empty()));
  }

  @Test
  void providerWithoutASecretInVaultIsServiceUnavailableNamingThePath() {
    assertThatThrownBy(() -> secrets.clientSecret("unknown-provider"))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.SERVICE_UNAVAILABLE))
        .hasMessageContaining("secret/data/token-broker/providers/unknown-provider");
  }

  @Test
  void secretWithoutAClientSecretKeyIsServiceUnavailable() {
    vault.putSecret("token-broker/providers/misfiled", Map.of("clientSecret", "wrong-key"));

    assertThatThrownBy(() -> secrets.reload("misfiled"))
        .isInstanceOf(BrokerException.class)
        .hasMessageContaining("'client_secret'")
        .hasMessageNotContaining("wrong-key");
  }

  @Test
  void providerIdThatIsNotAPathSegmentIsRefusedBeforeReachingVault() {
    assertThatThrownBy(() -> secrets.reload("../sys/policy"))
        .isInstanceOfSatisfying(
            BrokerException.class,
            e -> assertThat(e.code()).isEqualTo(ProblemCode.VALIDATION_FAILED));
    assertThat(vault.requests()).noneMatch(r -> r.contains("sys/policy"));
  }
}
