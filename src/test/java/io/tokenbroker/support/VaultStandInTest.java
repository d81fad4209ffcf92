package io.tokenbroker.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitDecryptBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitDecryptBatchParams;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptBatchItem;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptBatchParams;
import io.quarkus.vault.client.api.secrets.transit.VaultSecretsTransitEncryptResultBatchItem;
import io.quarkus.vault.client.auth.VaultAppRoleAuthOptions;
import io.quarkus.vault.client.http.jdk.JDKVaultHttpClient;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in answers the real quarkus-vault client the way Vault does, for each authentication
 * method the broker supports. These run without Quarkus, so they cost milliseconds.
 */
class VaultStandInTest {

  private static final String PATH = "token-broker/providers/pinterest";

  private VaultStandIn vault;

  @BeforeEach
  void startVault() {
    vault = VaultStandIn.start();
    vault.putSecret(PATH, Map.of("client_secret", "s3cret"));
  }

  @AfterEach
  void stopVault() {
    vault.close();
  }

  private VaultClient.Builder client() {
    return VaultClient.builder()
        .baseUrl(vault.url())
        .executor(new JDKVaultHttpClient(HttpClient.newHttpClient()))
        .requestTimeout(Duration.ofSeconds(5));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void tokenAuthReadsKvV2AndLooksUpItself() throws Exception {
    VaultClient client = client().clientToken(vault.rootToken()).build();

    var secret = await(client.secrets().kv2().readSecret(PATH));
    var self = await(client.auth().token().lookupSelf());

    assertThat(secret.getData()).containsEntry("client_secret", "s3cret");
    assertThat(secret.getMetadata().getVersion()).isEqualTo(1);
    assertThat(self.getPath()).isEqualTo("auth/token/root");
    assertThat(vault.requests())
        .contains("GET /v1/secret/data/" + PATH, "GET /v1/auth/token/lookup-self");
  }

  @Test
  void wrongTokenIsRefusedWithPermissionDenied() {
    VaultClient client = client().clientToken("hvs.not-a-token").build();

    assertThatThrownBy(() -> await(client.secrets().kv2().readSecret(PATH)))
        .isInstanceOfSatisfying(
            VaultClientException.class,
            e -> {
              assertThat(e.getStatus()).isEqualTo(403);
              assertThat(e.isPermissionDenied()).isTrue();
            });
  }

  @Test
  void appRoleLogsInOnceAndAgainAfterItsTokenIsRevoked() throws Exception {
    vault.appRole("role-1", "secret-1");
    VaultClient client = client().appRole("role-1", "secret-1").build();

    await(client.secrets().kv2().readSecret(PATH));
    await(client.secrets().kv2().readSecret(PATH));
    assertThat(vault.logins("approle")).isEqualTo(1);

    vault.revokeLoginTokens();
    var secret = await(client.secrets().kv2().readSecret(PATH));

    assertThat(secret.getData()).containsEntry("client_secret", "s3cret");
    assertThat(vault.logins("approle")).isEqualTo(2);
    assertThat(vault.requests()).contains("POST /v1/auth/approle/login");
  }

  @Test
  void loginTokenNearItsExpiryIsRenewedWithRenewSelf() throws Exception {
    vault.appRole("role-1", "secret-1").loginTokenTtl(Duration.ofMinutes(1));
    VaultClient client =
        client()
            .appRole(
                VaultAppRoleAuthOptions.builder()
                    .roleId("role-1")
                    .secretId("secret-1")
                    .caching(Duration.ofMinutes(5))
                    .build())
            .build();

    await(client.secrets().kv2().readSecret(PATH));
    await(client.secrets().kv2().readSecret(PATH));

    assertThat(vault.logins("approle")).isEqualTo(1);
    assertThat(vault.requests()).contains("POST /v1/auth/token/renew-self");
  }

  @Test
  void appRoleWithAWrongSecretIdCannotLogIn() {
    vault.appRole("role-1", "secret-1");
    VaultClient client = client().appRole("role-1", "wrong").build();

    assertThatThrownBy(() -> await(client.secrets().kv2().readSecret(PATH)))
        .isInstanceOf(VaultClientException.class);
    assertThat(vault.logins("approle")).isZero();
  }

  @Test
  void kubernetesLoginSendsTheServiceAccountJwtFromItsFile(@TempDir Path dir) throws Exception {
    Path jwt = dir.resolve("token");
    Files.writeString(jwt, "eyJ.service-account.jwt", StandardCharsets.UTF_8);
    vault.kubernetesRole("token-broker", "eyJ.service-account.jwt");
    VaultClient client = client().kubernetes("token-broker", jwt).build();

    var secret = await(client.secrets().kv2().readSecret(PATH));

    assertThat(secret.getData()).containsEntry("client_secret", "s3cret");
    assertThat(vault.logins("kubernetes")).isEqualTo(1);
    assertThat(vault.requests()).contains("POST /v1/auth/kubernetes/login");
  }

  @Test
  void kvListAndMissingSecretAnswerLikeVault() throws Exception {
    vault.putSecret("token-broker/providers/github", Map.of("client_secret", "x"));
    VaultClient client = client().clientToken(vault.rootToken()).build();

    List<String> keys = await(client.secrets().kv2().listSecrets("token-broker/providers"));

    assertThat(keys).containsExactly("github", "pinterest");
    assertThat(vault.requests()).contains("LIST /v1/secret/metadata/token-broker/providers");
    assertThatThrownBy(() -> await(client.secrets().kv2().readSecret("token-broker/nothing")))
        .isInstanceOfSatisfying(
            VaultClientException.class, e -> assertThat(e.getStatus()).isEqualTo(404));
  }

  @Test
  void transitBatchEncryptsAndDecryptsAcrossKeyVersions() throws Exception {
    VaultClient client = client().clientToken(vault.rootToken()).build();
    var transit = client.secrets().transit();
    var encrypt =
        new VaultSecretsTransitEncryptBatchParams()
            .setBatchInput(
                List.of(
                    new VaultSecretsTransitEncryptBatchItem().setPlaintext(new byte[] {1, 2, 3})));

    String v1 = await(transit.encryptBatch("token-broker", encrypt)).get(0).getCiphertext();
    vault.rotateTransitKey("token-broker");
    List<VaultSecretsTransitEncryptResultBatchItem> v2 =
        await(transit.encryptBatch("token-broker", encrypt));
    var decrypted =
        await(
            transit.decryptBatch(
                "token-broker",
                new VaultSecretsTransitDecryptBatchParams()
                    .setBatchInput(
                        List.of(
                            new VaultSecretsTransitDecryptBatchItem().setCiphertext(v1),
                            new VaultSecretsTransitDecryptBatchItem()
                                .setCiphertext(v2.get(0).getCiphertext())))));

    assertThat(v1).startsWith("vault:v1:");
    assertThat(v2.get(0).getCiphertext()).startsWith("vault:v2:");
    assertThat(decrypted).allSatisfy(r -> assertThat(r.getPlaintext()).containsExactly(1, 2, 3));
    assertThat(vault.requests())
        .contains("POST /v1/transit/encrypt/token-broker", "POST /v1/transit/decrypt/token-broker");
  }

  @Test
  void transitRefusesATamperedCiphertext() throws Exception {
    VaultClient client = client().clientToken(vault.rootToken()).build();
    var transit = client.secrets().transit();
    String wrapped =
        await(
                transit.encryptBatch(
                    "token-broker",
                    new VaultSecretsTransitEncryptBatchParams()
                        .setBatchInput(
                            List.of(
                                new VaultSecretsTransitEncryptBatchItem()
                                    .setPlaintext(new byte[] {9})))))
            .get(0)
            .getCiphertext();
    String tampered = wrapped.substring(0, wrapped.length() - 4) + "AAAA";

    assertThatThrownBy(
            () ->
                await(
                    transit.decryptBatch(
                        "token-broker",
                        new VaultSecretsTransitDecryptBatchParams()
                            .setBatchInput(
                                List.of(
                                    new VaultSecretsTransitDecryptBatchItem()
                                        .setCiphertext(tampered))))))
        .isInstanceOfSatisfying(
            VaultClientException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
  }

  @Test
  void stoppedStandInRefusesConnectionsAndRestartsOnTheSamePortWithItsState() throws Exception {
    VaultClient client = client().clientToken(vault.rootToken()).build();
    int port = vault.port();

    vault.stop();
    assertThatThrownBy(() -> await(client.secrets().kv2().readSecret(PATH)))
        .isNotInstanceOf(VaultClientException.class);

    vault.restart();
    assertThat(vault.port()).isEqualTo(port);
    assertThat(await(client.secrets().kv2().readSecret(PATH)).getData())
        .containsEntry("client_secret", "s3cret");
  }
}
