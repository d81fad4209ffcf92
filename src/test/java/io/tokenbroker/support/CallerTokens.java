package io.tokenbroker.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Mints real caller JWTs for tests from key pairs made for this run only; the broker is configured
 * to trust the RS256 public key exactly as it would trust a production issuer's. An ES256 pair and
 * a JWKS holding both public keys serve the tests of the JWKS URL path.
 */
public class CallerTokens implements QuarkusTestResourceLifecycleManager {

  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "token-broker";
  public static final String RS256_KEY_ID = "test-rs256";
  public static final String ES256_KEY_ID = "test-es256";
  private static final KeyPair KEYS = generate();
  private static final KeyPair EC_KEYS = generateEc();

  @Override
  public Map<String, String> start() {
    return Map.of(
        "mp.jwt.verify.publickey", pem(KEYS.getPublic()),
        "mp.jwt.verify.issuer", ISSUER,
        "mp.jwt.verify.audiences", AUDIENCE);
  }

  @Override
  public void stop() {}

  public static PrivateKey signingKey() {
    return KEYS.getPrivate();
  }

  public static PublicKey verificationKey() {
    return KEYS.getPublic();
  }

  public static PublicKey es256VerificationKey() {
    return EC_KEYS.getPublic();
  }

  /** The public key as a PEM document, the form {@code mp.jwt.verify.publickey} takes. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----";
  }

  /** A valid token for {@code subject} with the given roles. */
  public static String token(String subject, String... groups) {
    return claims(subject, groups).sign(KEYS.getPrivate());
  }

  public static String admin() {
    return token("admin-tool", "broker-admin");
  }

  /** Valid claims (issuer, audience, subject, groups, five minutes to live), not yet signed. */
  public static JwtClaimsBuilder claims(String subject, String... groups) {
    return Jwt.issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .groups(Set.of(groups))
        .expiresIn(300);
  }

  /** A valid token signed ES256 by the test EC key, named by its JWKS key id. */
  public static String es256Token(String subject, String... groups) {
    return claims(subject, groups)
        .jws()
        .algorithm(SignatureAlgorithm.ES256)
        .keyId(ES256_KEY_ID)
        .sign(EC_KEYS.getPrivate());
  }

  /** A valid token signed RS256 by the test RSA key, named by its JWKS key id. */
  public static String rs256TokenWithKeyId(String subject, String... groups) {
    return claims(subject, groups).jws().keyId(RS256_KEY_ID).sign(KEYS.getPrivate());
  }

  /** A JWKS document with both test public keys, as an issuer publishes it. */
  public static String jwks() {
    try {
      PublicJsonWebKey rsa = PublicJsonWebKey.Factory.newPublicJwk(KEYS.getPublic());
      rsa.setKeyId(RS256_KEY_ID);
      rsa.setAlgorithm("RS256");
      PublicJsonWebKey ec = PublicJsonWebKey.Factory.newPublicJwk(EC_KEYS.getPublic());
      ec.setKeyId(ES256_KEY_ID);
      ec.setAlgorithm("ES256");
      return new JsonWebKeySet(rsa, ec).toJson();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Quarkus may load this class in more than one class loader (the test resource and the test
   * instance); a fixed seed makes every copy hold the same test-only key pair.
   */
  private static java.security.SecureRandom seeded(String name) {
    try {
      java.security.SecureRandom random = java.security.SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, seeded("caller-rsa"));
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A P-256 pair, the curve ES256 is defined on. */
  public static KeyPair generateEc() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), seeded("caller-ec"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
