package io.tokenbroker.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Link tokens: 256 random bits, URL-safe; only their SHA-256 is ever stored. */
final class LinkTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** 32 bytes in unpadded base64url are exactly 43 characters of this alphabet. */
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private LinkTokens() {}

  static String generate() {
    byte[] value = new byte[32];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /** Whether {@code token} could be one of ours; anything else is not even looked up. */
  static boolean wellFormed(String token) {
    return token != null && SHAPE.matcher(token).matches();
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
