package io.tokenbroker.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a fresh 96-bit random nonce per value and the caller's associated data bound
 * into the tag. The envelope is {@code tb1:<key id>:<base64url nonce>:<base64url ciphertext+tag>}:
 * printable, so it fits a text column, and self-describing, so keys can rotate underneath it.
 */
class EnvelopeTokenCipher implements TokenCipher {

  static final String VERSION = "tb1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final KeyRing keys;
  private final SecureRandom random = new SecureRandom();

  EnvelopeTokenCipher(KeyRing keys) {
    this.keys = keys;
  }

  @Override
  public String encrypt(String plaintext, String associatedData) {
    requireAad(associatedData);
    DataKey key = keys.current();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return VERSION
          + ":"
          + key.id()
          + ":"
          + ENCODER.encodeToString(nonce)
          + ":"
          + ENCODER.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      // AES-GCM is mandatory in every JRE; reaching this means a broken runtime, not bad input.
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  @Override
  public String decrypt(String envelope, String associatedData) {
    requireAad(associatedData);
    Envelope parsed = Envelope.parse(envelope);
    DataKey key =
        keys.find(parsed.keyId())
            .orElseThrow(
                () ->
                    new TokenDecryptionException(
                        "A stored value names data key '"
                            + parsed.keyId()
                            + "', which this broker does not hold.",
                        null));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, parsed.nonce()));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(parsed.sealed()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new TokenDecryptionException(
          "A stored value did not authenticate for "
              + associatedData
              + " (tampered with, or moved from another row or field).",
          e);
    }
  }

  private static void requireAad(String associatedData) {
    if (associatedData == null || associatedData.isEmpty()) {
      throw new IllegalArgumentException("associated data must name the row and field");
    }
  }

  private record Envelope(String keyId, byte[] nonce, byte[] sealed) {

    static Envelope parse(String envelope) {
      String[] parts = envelope == null ? new String[0] : envelope.split(":", -1);
      if (parts.length != 4 || !VERSION.equals(parts[0]) || !DataKey.isValidId(parts[1])) {
        throw new TokenDecryptionException("A stored value is not a tb1 envelope.", null);
      }
      try {
        byte[] nonce = DECODER.decode(parts[2]);
        byte[] sealed = DECODER.decode(parts[3]);
        if (nonce.length != NONCE_BYTES || sealed.length < TAG_BITS / 8) {
          throw new TokenDecryptionException("A stored value is a truncated envelope.", null);
        }
        return new Envelope(parts[1], nonce, sealed);
      } catch (IllegalArgumentException e) {
        throw new TokenDecryptionException("A stored value is not valid base64url.", e);
      }
    }
  }
}
