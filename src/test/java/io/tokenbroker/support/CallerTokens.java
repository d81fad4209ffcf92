package io.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Mints real RS256 caller JWTs for tests from a key pair made for this run only; the broker is
 * configured to trust its public key exactly as it would trust a production issuer's.
 */
public class CallerTokens implements QuarkusTestResourceLifecycleManager {

  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "token-broker";
  private static final KeyPair KEYS = generate();

  @Override
  public Map<String, String> start() {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    return Map.of(
        "mp.jwt.verify.publickey", pem,
        "mp.jwt.verify.issuer", ISSUER,
        "mp.jwt.verify.audiences", AUDIENCE);
  }

  @Override
  public void stop() {}

  public static PrivateKey signingKey() {
    return KEYS.getPrivate();
  }

  /** A valid token for {@code subject} with the given roles. */
  public static String token(String subject, String... groups) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .groups(Set.of(groups))
        .expiresIn(300)
        .sign(KEYS.getPrivate());
  }

  public static String admin() {
    return token("admin-tool", "broker-admin");
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
