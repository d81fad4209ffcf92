package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenbroker.support.Connections;
import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource.InjectVaultStandIn;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored tokens are envelopes under data keys that only Vault Transit can unwrap. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultEncryptionAtRestTest {

  @InjectVaultStandIn VaultStandIn vault;
  @Inject TokenCipher cipher;
  @Inject DataSource dataSource;
  StoredValues db;

  @BeforeEach
  void setUp() {
    db = new StoredValues(dataSource);
  }

  @Test
  void rawDatabaseColumnsHoldNoPlaintextToken() {
    UUID id = Connections.seed("pinterest", Set.of("svc"));
    String access = "pina_AT_" + UUID.randomUUID();
    String refresh = "pinr_RT_" + UUID.randomUUID();
    String verifier = "pkce-verifier-" + UUID.randomUUID();
    db.setConnectionColumn(
        id,
        "access_token_enc",
        cipher.encrypt(access, TokenCipher.aad("connection", id, "access_token")));
    db.setConnectionColumn(
        id,
        "refresh_token_enc",
        cipher.encrypt(refresh, TokenCipher.aad("connection", id, "refresh_token")));
    String state = db.seedAuthorizationRequest(null);
    db.setPkceVerifier(
        state,
        cipher.encrypt(verifier, TokenCipher.aad("authorization_request", state, "pkce_verifier")));

    List<String> stored = db.allEncryptedValues();

    assertThat(stored).hasSizeGreaterThanOrEqualTo(3);
    assertThat(stored).allSatisfy(v -> assertThat(v).startsWith("tb1:dk-"));
    assertThat(String.join("\n", stored))
        .doesNotContain(access)
        .doesNotContain(refresh)
        .doesNotContain(verifier)
        .doesNotContain("pina_")
        .doesNotContain("pinr_");
    assertThat(
            cipher.decrypt(
                db.connectionColumn(id, "refresh_token_enc"),
                TokenCipher.aad("connection", id, "refresh_token")))
        .isEqualTo(refresh);
  }

  @Test
  void dataKeysAreStoredOnlyWrappedByTheTransitKey() {
    String envelope = cipher.encrypt("x", TokenCipher.aad("connection", "k", "access_token"));
    String keyId = envelope.split(":")[1];

    assertThat(db.dataKeys())
        .anySatisfy(
            row -> {
              assertThat(row.id()).isEqualTo(keyId);
              assertThat(row.wrappedKey()).startsWith("vault:v1:");
            });
    assertThat(vault.requests()).contains("POST /v1/transit/encrypt/token-broker");
  }

  @Test
  void ciphertextMovedToAnotherRowDoesNotDecrypt() {
    UUID victim = Connections.seed("pinterest", Set.of("svc"));
    UUID attacker = Connections.seed("pinterest", Set.of("svc"));
    db.setConnectionColumn(
        victim,
        "access_token_enc",
        cipher.encrypt("victim-token", TokenCipher.aad("connection", victim, "access_token")));

    db.setConnectionColumn(
        attacker, "access_token_enc", db.connectionColumn(victim, "access_token_enc"));
    try {
      assertThatThrownBy(
              () ->
                  cipher.decrypt(
                      db.connectionColumn(attacker, "access_token_enc"),
                      TokenCipher.aad("connection", attacker, "access_token")))
          .isInstanceOf(TokenDecryptionException.class)
          .hasMessageNotContaining("victim-token");
    } finally {
      // Leaves no unreadable value behind for the rotation tests that share this database.
      db.setConnectionColumn(attacker, "access_token_enc", null);
    }
  }
}
