package io.tokenbroker.authorization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** RFC 7636 PKCE with the {@code S256} method: a random code verifier and its challenge. */
final class Pkce {

  /** 32 bytes: 256 bits of entropy, 43 characters once encoded (RFC 7636 section 7.1). */
  private static final int VERIFIER_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Pkce() {}

  /** A new code verifier: random octets, base64url without padding (section 4.1). */
  static String newVerifier() {
    byte[] octets = new byte[VERIFIER_BYTES];
    RANDOM.nextBytes(octets);
    return BASE64URL.encodeToString(octets);
  }

  /** The {@code S256} challenge: BASE64URL(SHA-256(ASCII(verifier))) (section 4.2). */
  static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return BASE64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
