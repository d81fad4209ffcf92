package io.tokenbroker.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tokenbroker.support.CallerTokens;
import io.tokenbroker.support.Connections;
import io.tokenbroker.support.VaultProfile;
import io.tokenbroker.support.VaultStandIn;
import io.tokenbroker.support.VaultStandInResource.InjectVaultStandIn;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation makes a new key current, re-encrypts every stored value and retires the old key. */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultKeyRotationTest {

  @Inject TokenCipher cipher;
  @Inject KeyRotation rotation;
  @Inject StoredValueReencryptor reencryptor;
  @Inject DataSource dataSource;
  @Inject DataKeyTable dataKeys;
  @Inject VaultGateway gateway;
  @InjectVaultStandIn VaultStandIn vault;
  StoredValues db;

  @BeforeEach
  void setUp() {
    db = new StoredValues(dataSource);
  }

  @Test
  void rotationReencryptsEveryStoredValueAndRetiresTheOldKey() {
    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, Runnable> checks = new LinkedHashMap<>();
    // More rows than the profile's batch size, so that re-encryption pages through them.
    for (int i = 0; i < 5; i++) {
      UUID id = Connections.seed("pinterest", Set.of("svc"));
      for (String field : new String[] {"access_token", "refresh_token"}) {
        String aad = TokenCipher.aad("connection", id, field);
        String plain = field + "-" + i + "-" + UUID.randomUUID();
        db.setConnectionColumn(id, field + "_enc", cipher.encrypt(plain, aad));
        expected.put(aad, plain);
        checks.put(aad, () -> check(db.connectionColumn(id, field + "_enc"), aad, plain));
      }
    }
    String state = db.seedAuthorizationRequest(null);
    String verifierAad = TokenCipher.aad("authorization_request", state, "pkce_verifier");
    db.setPkceVerifier(state, cipher.encrypt("verifier-value", verifierAad));
    checks.put(verifierAad, () -> check(db.pkceVerifier(state), verifierAad, "verifier-value"));
    String oldKey = keyOf(db.pkceVerifier(state));

    KeyRotation.Result result = rotation.rotate();

    assertThat(result.currentKey()).isNotEqualTo(oldKey);
    assertThat(result.reencrypted()).isGreaterThanOrEqualTo(11);
    assertThat(result.unreadable()).isZero();
    assertThat(result.retiredKeys()).contains(oldKey);
    checks.values().forEach(Runnable::run);
    assertThat(db.allEncryptedValues())
        .allSatisfy(v -> assertThat(v).startsWith("tb1:" + result.currentKey() + ":"));
    assertThat(db.dataKeys())
        .contains(
            new StoredValues.KeyRow(oldKey, wrappedKeyOf(oldKey), "retired"),
            new StoredValues.KeyRow(
                result.currentKey(), wrappedKeyOf(result.currentKey()), "active"));
    assertThat(cipher.decrypt(cipher.encrypt("new", verifierAad), verifierAad)).isEqualTo("new");
  }

  @Test
  void valueUnderARetiredKeyStillDecrypts() {
    UUID id = Connections.seed("pinterest", Set.of("svc"));
    String aad = TokenCipher.aad("connection", id, "access_token");
    String underOldKey = cipher.encrypt("late-write", aad);
    rotation.rotate();

    // A replica that had not seen the rotation writes under the old key after it was retired.
    db.setConnectionColumn(id, "access_token_enc", underOldKey);

    assertThat(cipher.decrypt(db.connectionColumn(id, "access_token_enc"), aad))
        .isEqualTo("late-write");
    KeyRotation.Result next = rotation.reencrypt();
    assertThat(keyOf(db.connectionColumn(id, "access_token_enc"))).isEqualTo(next.currentKey());
  }

  @Test
  void reencryptionLeavesAValueAloneWhenATokenWriteChangedItMeanwhile() {
    UUID id = Connections.seed("pinterest", Set.of("svc"));
    String aad = TokenCipher.aad("connection", id, "refresh_token");
    String seenByJob = cipher.encrypt("old-refresh-token", aad);
    String writtenByRefresh = cipher.encrypt("new-refresh-token", aad);
    db.setConnectionColumn(id, "refresh_token_enc", writtenByRefresh);

    boolean replaced =
        reencryptor.compareAndSet(
            StoredColumn.ALL.get(1), id, seenByJob, cipher.encrypt("old-refresh-token", aad));

    assertThat(replaced).isFalse();
    assertThat(db.connectionColumn(id, "refresh_token_enc")).isEqualTo(writtenByRefresh);
  }

  @Test
  void connectionBeingRefreshedKeepsItsEnvelopesAndItsKeyUntilTheLeaseEnds() {
    UUID id = Connections.seed("pinterest", Set.of("svc"));
    String aad = TokenCipher.aad("connection", id, "refresh_token");
    String spentByRefresh = cipher.encrypt("refresh-token-being-spent", aad);
    db.setConnectionColumn(id, "refresh_token_enc", spentByRefresh);
    db.holdLease(id, "replica-refreshing", java.time.Duration.ofMinutes(1));

    KeyRotation.Result rotated = rotation.rotate();

    // The refresh fences its write by exactly this envelope; re-encrypting it would make the
    // broker discard the rotation the provider has already made.
    assertThat(db.connectionColumn(id, "refresh_token_enc")).isEqualTo(spentByRefresh);
    assertThat(rotated.retiredKeys()).doesNotContain(keyOf(spentByRefresh));

    db.holdLease(id, "replica-refreshing", java.time.Duration.ofMinutes(-1));
    KeyRotation.Result next = rotation.reencrypt();
    assertThat(keyOf(db.connectionColumn(id, "refresh_token_enc"))).isEqualTo(next.currentKey());
    assertThat(cipher.decrypt(db.connectionColumn(id, "refresh_token_enc"), aad))
        .isEqualTo("refresh-token-being-spent");
  }

  @Test
  void transitKeyRotationIsFollowedByRewrappingEveryDataKeyWhichAFreshReplicaCanUnwrap() {
    UUID id = Connections.seed("pinterest", Set.of("svc"));
    String aad = TokenCipher.aad("connection", id, "access_token");
    db.setConnectionColumn(
        id, "access_token_enc", cipher.encrypt("survives-transit-rotation", aad));
    int version = transitVersions().stream().mapToInt(Integer::intValue).max().orElseThrow();

    vault.rotateTransitKey("token-broker");
    KeyRotation.Result pass = rotation.reencrypt();

    assertThat(pass.rewrappedKeys()).isEqualTo(db.dataKeys().size());
    assertThat(transitVersions()).containsOnly(version + 1);
    assertThat(rotation.reencrypt().rewrappedKeys()).as("nothing left to rewrap").isZero();
    TokenCipher freshReplica = new EnvelopeTokenCipher(new VaultKeyRing(dataKeys, gateway));
    assertThat(freshReplica.decrypt(db.connectionColumn(id, "access_token_enc"), aad))
        .isEqualTo("survives-transit-rotation");
  }

  @Test
  void rotateEndpointIsForBrokerAdminsOnly() {
    given()
        .auth()
        .oauth2(CallerTokens.admin())
        .post("/v1/admin/keys/rotate")
        .then()
        .statusCode(200)
        .body("current_key", startsWith("dk-"));
    given()
        .auth()
        .oauth2(CallerTokens.token("some-service"))
        .post("/v1/admin/keys/rotate")
        .then()
        .statusCode(403);
    given().post("/v1/admin/keys/rotate").then().statusCode(401);
  }

  private void check(String stored, String aad, String plain) {
    assertThat(cipher.decrypt(stored, aad)).isEqualTo(plain);
  }

  private List<Integer> transitVersions() {
    return db.dataKeys().stream().map(k -> VaultKeyRing.transitVersion(k.wrappedKey())).toList();
  }

  private String wrappedKeyOf(String keyId) {
    return db.dataKeys().stream()
        .filter(k -> k.id().equals(keyId))
        .findFirst()
        .orElseThrow()
        .wrappedKey();
  }

  private static String keyOf(String envelope) {
    return envelope.split(":")[1];
  }
}
