package io.tokenbroker.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-256-GCM envelopes under keys from a local key file. */
class EnvelopeTokenCipherTest {

  private static final String AAD = TokenCipher.aad("connection", "7f1c", "refresh_token");

  @TempDir Path dir;

  private TokenCipher cipher() {
    return new EnvelopeTokenCipher(new LocalKeyRing(dir.resolve("keys/token-broker.keys")));
  }

  @Test
  void encryptThenDecryptReturnsThePlaintext() {
    TokenCipher cipher = cipher();
    String envelope = cipher.encrypt("pina_refresh-ABC.123", AAD);

    assertThat(envelope).startsWith("tb1:local-").doesNotContain("pina_refresh");
    assertThat(cipher.decrypt(envelope, AAD)).isEqualTo("pina_refresh-ABC.123");
  }

  @Test
  void envelopeNamesTheKeyAndUsesAFreshNoncePerValue() {
    TokenCipher cipher = cipher();
    String first = cipher.encrypt("same", AAD);
    String second = cipher.encrypt("same", AAD);

    String[] a = first.split(":");
    String[] b = second.split(":");
    assertThat(a).hasSize(4);
    assertThat(a[1]).isEqualTo(b[1]);
    assertThat(Base64.getUrlDecoder().decode(a[2])).hasSize(12);
    assertThat(a[2]).isNotEqualTo(b[2]);
    assertThat(a[3]).isNotEqualTo(b[3]);
  }

  @Test
  void ciphertextMovedToAnotherRowFails() {
    TokenCipher cipher = cipher();
    String envelope = cipher.encrypt("secret", TokenCipher.aad("connection", "row-1", "x"));

    assertThatThrownBy(() -> cipher.decrypt(envelope, TokenCipher.aad("connection", "row-2", "x")))
        .isInstanceOf(TokenDecryptionException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void ciphertextMovedToAnotherFieldFails() {
    TokenCipher cipher = cipher();
    String envelope = cipher.encrypt("secret", AAD);

    assertThatThrownBy(
            () -> cipher.decrypt(envelope, TokenCipher.aad("connection", "7f1c", "access_token")))
        .isInstanceOf(TokenDecryptionException.class);
  }

  @Test
  void tamperedCiphertextFails() {
    TokenCipher cipher = cipher();
    String envelope = cipher.encrypt("secret-value", AAD);
    String[] parts = envelope.split(":");
    byte[] sealed = Base64.getUrlDecoder().decode(parts[3]);
    sealed[0] ^= 0x01;
    String tampered =
        String.join(
            ":",
            parts[0],
            parts[1],
            parts[2],
            Base64.getUrlEncoder().withoutPadding().encodeToString(sealed));

    assertThatThrownBy(() -> cipher.decrypt(tampered, AAD))
        .isInstanceOf(TokenDecryptionException.class);
  }

  @Test
  void malformedEnvelopesAndUnknownKeysFailAsDecryptionErrors() {
    TokenCipher cipher = cipher();
    String envelope = cipher.encrypt("secret", AAD);
    String unknownKey = envelope.replaceFirst("tb1:local-[0-9a-f]+:", "tb1:local-00000000:");

    assertThatThrownBy(() -> cipher.decrypt("plaintext-token", AAD))
        .isInstanceOf(TokenDecryptionException.class);
    assertThatThrownBy(() -> cipher.decrypt("tb1:k:!!:??", AAD))
        .isInstanceOf(TokenDecryptionException.class);
    assertThatThrownBy(() -> cipher.decrypt(unknownKey, AAD))
        .isInstanceOf(TokenDecryptionException.class)
        .hasMessageContaining("local-00000000");
  }

  @Test
  void keyFileIsCreatedOwnerReadableOnly() throws Exception {
    cipher();
    Path file = dir.resolve("keys/token-broker.keys");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void secondInstanceLoadingTheSameKeyFileDecrypts() {
    String envelope = cipher().encrypt("survives a restart", AAD);

    assertThat(cipher().decrypt(envelope, AAD)).isEqualTo("survives a restart");
  }

  @Test
  void newestKeyInTheFileSealsAndOlderKeysStillOpen() throws Exception {
    TokenCipher before = cipher();
    String old = before.encrypt("old value", AAD);
    Path file = dir.resolve("keys/token-broker.keys");
    byte[] material = new byte[32];
    material[0] = 1;
    Files.writeString(
        file,
        "local-newer " + Base64.getEncoder().encodeToString(material) + "\n",
        java.nio.file.StandardOpenOption.APPEND);

    TokenCipher after = cipher();
    assertThat(after.encrypt("new value", AAD)).startsWith("tb1:local-newer:");
    assertThat(after.decrypt(old, AAD)).isEqualTo("old value");
  }

  @Test
  void malformedKeyFileFailsWithoutEchoingItsContent() throws Exception {
    Path file = dir.resolve("bad.keys");
    Files.writeString(file, "local-1 not-base64-key-material!!\n");

    assertThatThrownBy(() -> new LocalKeyRing(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("not-base64-key-material");
  }
}
