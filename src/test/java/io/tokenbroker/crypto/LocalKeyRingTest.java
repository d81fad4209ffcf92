package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation and retirement on the embedded default's key file. */
class LocalKeyRingTest {

  private static final String AAD = TokenCipher.aad("connection", "r1", "access_token");

  @TempDir Path dir;

  @Test
  void rotatedKeySealsNewValuesAndSurvivesARestartWhileOldValuesStillOpen() throws Exception {
    Path file = dir.resolve("token-broker.keys");
    LocalKeyRing ring = new LocalKeyRing(file);
    String old = new EnvelopeTokenCipher(ring).encrypt("old", AAD);
    String oldKey = ring.current().id();

    DataKey rotated = ring.rotate();

    LocalKeyRing restarted = new LocalKeyRing(file);
    TokenCipher cipher = new EnvelopeTokenCipher(restarted);
    assertThat(restarted.current().id()).isEqualTo(rotated.id()).isNotEqualTo(oldKey);
    assertThat(cipher.encrypt("new", AAD)).startsWith("tb1:" + rotated.id() + ":");
    assertThat(cipher.decrypt(old, AAD)).isEqualTo("old");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void retiredKeyLeavesTheActiveSetButStillOpensItsValues() {
    Path file = dir.resolve("token-broker.keys");
    LocalKeyRing ring = new LocalKeyRing(file);
    String old = new EnvelopeTokenCipher(ring).encrypt("old", AAD);
    String oldKey = ring.current().id();
    String newKey = ring.rotate().id();

    ring.retire(oldKey);
    ring.retire(newKey);

    LocalKeyRing restarted = new LocalKeyRing(file);
    assertThat(restarted.activeKeyIds()).containsExactly(newKey);
    assertThat(new EnvelopeTokenCipher(restarted).decrypt(old, AAD)).isEqualTo("old");
  }
}
