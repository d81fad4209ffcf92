package io.tokenbroker.hardening;

import io.tokenbroker.support.CallerTokens;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Caller tokens an attacker could send: malformed shapes, forged algorithms, foreign keys, headers
 * that try to point verification elsewhere. Every one carries claims that would be accepted if the
 * signature were, so a 401 proves the verification step refused it. Deterministic from the seed.
 */
final class HostileJwts {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final KeyPair ATTACKER = rsa("attacker");

  private final Random random;
  private final String subject;

  HostileJwts(long seed, String subject) {
    this.random = new Random(seed);
    this.subject = subject;
  }

  /** Named tokens, none of which may authenticate. */
  Map<String, String> all() {
    Map<String, String> tokens = new LinkedHashMap<>();
    shapes(tokens);
    algorithms(tokens);
    headers(tokens);
    randomJunk(tokens, 60);
    return tokens;
  }

  private void shapes(Map<String, String> out) {
    String valid = CallerTokens.token(subject, "token-consumer");
    String[] parts = valid.split("\\.");
    out.put("empty", "");
    out.put("one dot", ".");
    out.put("two dots", "..");
    out.put("many dots", ".".repeat(500));
    out.put("four parts", valid + ".extra");
    out.put("five parts (JWE shape)", "a.b.c.d.e");
    out.put("header and payload only", parts[0] + "." + parts[1]);
    out.put("header and payload, empty signature", parts[0] + "." + parts[1] + ".");
    out.put("non-base64 segments", "!!!.@@@.###");
    out.put("padding in segments", parts[0] + "==." + parts[1] + "." + parts[2]);
    out.put(
        "standard base64 alphabet", parts[0].replace('-', '+') + "/." + parts[1] + "." + parts[2]);
    out.put("signature truncated", parts[0] + "." + parts[1] + "." + parts[2].substring(10));
    out.put("signature flipped", parts[0] + "." + parts[1] + "." + flip(parts[2]));
    out.put(
        "payload swapped in",
        parts[0] + "." + b64(claims(subject, "broker-admin")) + "." + parts[2]);
    out.put("header not JSON", b64("not json") + "." + parts[1] + "." + parts[2]);
    out.put("header JSON array", b64("[\"RS256\"]") + "." + parts[1] + "." + parts[2]);
    out.put("payload not JSON", parts[0] + "." + b64("{{{{") + "." + parts[2]);
    out.put("oversized token (12 KiB)", parts[0] + "." + b64("x".repeat(9000)) + "." + parts[2]);
    out.put("whitespace inside", parts[0] + " ." + parts[1] + "." + parts[2]);
    out.put("unicode inside", parts[0] + "\u00e9." + parts[1] + "." + parts[2]);
  }

  private void algorithms(Map<String, String> out) {
    String payload = claims(subject, "token-consumer");
    for (String none : List.of("none", "None", "NONE", "nOnE")) {
      String unsigned = b64("{\"alg\":\"" + none + "\",\"typ\":\"JWT\"}") + "." + b64(payload);
      out.put("alg " + none + " without signature", unsigned + ".");
      out.put("alg " + none + " with junk signature", unsigned + "." + b64("sig"));
    }
    byte[] publicDer = CallerTokens.verificationKey().getEncoded();
    byte[] publicPem =
        CallerTokens.pem(CallerTokens.verificationKey()).getBytes(StandardCharsets.UTF_8);
    for (String hmac : List.of("HS256", "HS384", "HS512")) {
      out.put(
          hmac + " keyed with the public key (DER)",
          sign(hmac, new HmacKey(publicDer), payload, Map.of()));
      out.put(
          hmac + " keyed with the public key (PEM)",
          sign(hmac, new HmacKey(publicPem), payload, Map.of()));
    }
    for (String alg : List.of("RS256", "RS384", "RS512", "PS256")) {
      out.put(alg + " with a foreign key", sign(alg, ATTACKER.getPrivate(), payload, Map.of()));
    }
    for (String alg : List.of("RS384", "RS512", "PS256")) {
      // The right key but an algorithm outside the configured RS256/ES256 list.
      out.put(
          alg + " with the trusted key", sign(alg, CallerTokens.signingKey(), payload, Map.of()));
    }
    out.put(
        "ES256 with a foreign key",
        sign("ES256", CallerTokens.generateEc().getPrivate(), payload, Map.of()));
    // Signatures are over the exact header: relabelling it breaks them.
    String good = CallerTokens.token(subject, "token-consumer");
    String[] parts = good.split("\\.");
    out.put(
        "RS256 signature under an ES256 header",
        b64("{\"alg\":\"ES256\"}") + "." + parts[1] + "." + parts[2]);
  }

  private void headers(Map<String, String> out) {
    String payload = claims(subject, "token-consumer");
    Key trusted = CallerTokens.signingKey();
    out.put("crit names an unknown extension", signCrit(trusted, payload, "x-broker-bypass"));
    out.put("crit names exp", signCrit(trusted, payload, "exp"));
    out.put(
        "jku points at an attacker JWKS",
        sign(
            "RS256", ATTACKER.getPrivate(), payload, Map.of("jku", "https://evil.test/jwks.json")));
    out.put(
        "x5u points at an attacker certificate",
        sign("RS256", ATTACKER.getPrivate(), payload, Map.of("x5u", "https://evil.test/cert.pem")));
    out.put(
        "jku points at loopback",
        sign("RS256", ATTACKER.getPrivate(), payload, Map.of("jku", "http://127.0.0.1:1/jwks")));
    out.put("embedded jwk of the attacker key", signWithEmbeddedJwk(payload));
    out.put(
        "kid path traversal",
        sign("RS256", ATTACKER.getPrivate(), payload, Map.of("kid", "../../../../dev/null")));
    out.put(
        "kid SQL",
        sign("RS256", ATTACKER.getPrivate(), payload, Map.of("kid", "x' union select 'k")));
    out.put(
        "huge header (8 KiB)",
        sign("RS256", ATTACKER.getPrivate(), payload, Map.of("x-pad", "p".repeat(8192))));
    out.put(
        "foreign key, token lasting ten years",
        sign("RS256", ATTACKER.getPrivate(), claimsExpiring(subject, 315_360_000L), Map.of()));
    out.put(
        "trusted key, exp as a string",
        sign("RS256", trusted, payload.replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\""), Map.of()));
    out.put(
        "trusted key, no exp",
        sign("RS256", trusted, payload.replaceFirst(",\"exp\":\\d+", ""), Map.of()));
    out.put("trusted key, payload is an array", sign("RS256", trusted, "[1,2,3]", Map.of()));
    out.put(
        "trusted key, issuer with a trailing slash",
        sign(
            "RS256",
            trusted,
            payload.replace(CallerTokens.ISSUER, CallerTokens.ISSUER + "/"),
            Map.of()));
    out.put(
        "trusted key, issuer in other case",
        sign(
            "RS256",
            trusted,
            payload.replace(CallerTokens.ISSUER, CallerTokens.ISSUER.toUpperCase()),
            Map.of()));
    out.put(
        "trusted key, audience of another service",
        sign(
            "RS256",
            trusted,
            payload.replace("\"" + CallerTokens.AUDIENCE + "\"", "\"token-broker-other\""),
            Map.of()));
  }

  private void randomJunk(Map<String, String> out, int count) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=";
    for (int i = 0; i < count; i++) {
      StringBuilder token = new StringBuilder();
      int length = 1 + random.nextInt(i % 10 == 0 ? 4000 : 300);
      for (int c = 0; c < length; c++) {
        token.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      out.put("random token #" + i, token.toString());
    }
  }

  private static String claims(String subject, String group) {
    long now = Instant.now().getEpochSecond();
    return "{\"iss\":\""
        + CallerTokens.ISSUER
        + "\",\"aud\":\""
        + CallerTokens.AUDIENCE
        + "\",\"sub\":\""
        + subject
        + "\",\"groups\":[\""
        + group
        + "\"],\"iat\":"
        + now
        + ",\"exp\":"
        + (now + 300)
        + "}";
  }

  private static String claimsExpiring(String subject, long seconds) {
    return claims(subject, "token-consumer")
        .replaceFirst("\"exp\":\\d+", "\"exp\":" + (Instant.now().getEpochSecond() + seconds));
  }

  private static String sign(String alg, Key key, String payload, Map<String, String> headers) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
      jws.setDoKeyValidation(false);
      jws.setAlgorithmHeaderValue(alg);
      headers.forEach(jws::setHeader);
      jws.setPayload(payload);
      jws.setKey(key);
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signCrit(Key key, String payload, String critical) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmHeaderValue("RS256");
      jws.setHeader(critical, "1");
      jws.setCriticalHeaderNames(critical);
      jws.setPayload(payload);
      jws.setKey(key);
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signWithEmbeddedJwk(String payload) {
    try {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setAlgorithmHeaderValue("RS256");
      jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(ATTACKER.getPublic()));
      jws.setPayload(payload);
      jws.setKey(ATTACKER.getPrivate());
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String flip(String segment) {
    char[] chars = segment.toCharArray();
    chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
    return new String(chars);
  }

  private static KeyPair rsa(String seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed.getBytes(StandardCharsets.UTF_8));
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, random);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
