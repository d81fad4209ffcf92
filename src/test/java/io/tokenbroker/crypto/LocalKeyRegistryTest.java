package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.support.MigratedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas without Vault on one real PostgreSQL: each starts the way {@code CryptoProducers} starts
 * it (key file loaded, then checked against and recorded in {@code local_data_key}).
 */
class LocalKeyRegistryTest {

  private static final String AAD = TokenCipher.aad("connection", "r1", "refresh_token");
  private static MigratedPostgres postgres;
  private static DataSource db;

  @TempDir Path dir;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start("V110__broker_instance_and_local_keys.sql");
    db = postgres.dataSource();
  }

  @AfterAll
  static void stopDatabase() {
    postgres.close();
  }

  @BeforeEach
  void empty() throws Exception {
    postgres.execute("DELETE FROM local_data_key");
  }

  @Test
  void replicaWithAKeyFileOfItsOwnOnADatabaseAnotherReplicaUsesRefusesToStartNamingTheSetting()
      throws Exception {
    start(dir.resolve("a/token-broker.keys"));
    Path own = dir.resolve("b/token-broker.keys");

    assertThatThrownBy(() -> start(own))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.crypto.local-key-file: " + own)
        .hasMessageContaining("does not hold data key(s) [local-");
    // The refused replica recorded nothing, so the first one still starts.
    assertThat(postgres.number("SELECT count(*) FROM local_data_key")).isEqualTo(1);
    assertThatCode(() -> start(dir.resolve("a/token-broker.keys"))).doesNotThrowAnyException();
  }

  @Test
  void replicasSharingOneKeyFileStartAndReadEachOthersValuesAfterARotation() throws Exception {
    Path shared = dir.resolve("shared/token-broker.keys");
    LocalKeyRing first = start(shared);
    LocalKeyRing second = start(shared);

    first.rotate();
    String sealedAfterRotation = new EnvelopeTokenCipher(first).encrypt("rotated", AAD);

    assertThat(postgres.number("SELECT count(*) FROM local_data_key")).isEqualTo(2);
    assertThat(new EnvelopeTokenCipher(second).decrypt(sealedAfterRotation, AAD))
        .isEqualTo("rotated");
  }

  @Test
  void keyFileWhoseKeyDiffersFromTheOneRecordedUnderItsIdIsRefused() throws Exception {
    Path file = dir.resolve("a/token-broker.keys");
    LocalKeyRing original = start(file);
    String id = original.current().id();
    DataKey impostor = DataKey.generate("x");
    Path forged = dir.resolve("forged/token-broker.keys");
    Files.createDirectories(forged.getParent());
    Files.writeString(
        forged,
        id
            + " "
            + java.util.Base64.getEncoder().encodeToString(impostor.key().getEncoded())
            + "\n");

    assertThatThrownBy(() -> start(forged))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[" + id + "]");
  }

  @Test
  void fingerprintNamesTheKeyWithoutItsMaterial() {
    DataKey key = DataKey.generate("local-");
    String fingerprint = LocalKeyRegistry.fingerprint(key);

    assertThat(fingerprint).hasSize(64).isEqualTo(LocalKeyRegistry.fingerprint(key));
    assertThat(fingerprint)
        .doesNotContain(java.util.HexFormat.of().formatHex(key.key().getEncoded()));
  }

  /** What {@code CryptoProducers} does at start without Vault. */
  private static LocalKeyRing start(Path keyFile) {
    LocalKeyRegistry registry = new LocalKeyRegistry(db, keyFile);
    LocalKeyRing ring = new LocalKeyRing(keyFile, registry::record);
    registry.verifyAndRecord(ring.all());
    return ring;
  }
}
