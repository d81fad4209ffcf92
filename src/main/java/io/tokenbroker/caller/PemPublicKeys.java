package io.tokenbroker.caller;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a PEM (or bare Base64 DER) public key of either type that caller tokens are signed with.
 */
final class PemPublicKeys {

  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private PemPublicKeys() {}

  /**
   * The RSA or EC public key in {@code content}; empty when it is something else (a certificate, a
   * JWK or JWKS, garbage), which is then left to SmallRye JWT.
   */
  static Optional<PublicKey> parse(String content) {
    if (content == null) {
      return Optional.empty();
    }
    String body = content.replace(BEGIN, "").replace(END, "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return Optional.of(
            KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException e) {
        // not this type; try the next
      }
    }
    return Optional.empty();
  }
}
