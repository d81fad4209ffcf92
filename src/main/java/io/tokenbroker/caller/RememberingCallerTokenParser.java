package io.tokenbroker.caller;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, remembering tokens that passed verification. Services reuse one caller
 * token for many requests, and verifying it (JSON parsing plus an RSA or ECDSA signature check) was
 * the largest single cost of a token fetch. Only successes are remembered, and only until the
 * earlier of the token's {@code exp} and {@code broker.callers.verified-token-cache-ttl}; a token
 * that fails is verified again every time.
 *
 * <p>Entries are keyed by the token's SHA-256, not by the token: a heap dump or a debugger shows
 * the map's keys as digests. The remembered {@link JsonWebToken} still carries the raw token
 * ({@link JsonWebToken#getRawToken()}), as the one SmallRye JWT hands to the request does.
 *
 * <p>Memory is bounded by count and by size: at most {@code
 * broker.callers.verified-token-cache-max-entries} entries, and tokens longer than {@value
 * #MAX_REMEMBERED_CHARS} characters are verified every time instead. An entry holds the token twice
 * (raw, and inside the parsed claims) plus its claim objects: a few KiB for a typical 1 KiB token,
 * at most about 20 KiB for the longest remembered one, so 10,000 entries stay well under 200 MiB
 * even in the worst case and near 30 MiB in the usual one.
 */
@Alternative
@Priority(1)
@ApplicationScoped
class RememberingCallerTokenParser implements JWTParser {

  /** Longer tokens are not remembered, so that a few huge ones cannot fill the heap. */
  static final int MAX_REMEMBERED_CHARS = 4096;

  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(RememberingCallerTokenParser::sha256);

  /** A SHA-256 digest as four longs: equality and hashing without copying arrays. */
  private record Digest(long a, long b, long c, long d) {}

  private final DefaultJWTParser verifier;
  private final Cache<Digest, JsonWebToken> verified;

  RememberingCallerTokenParser(DefaultJWTParser verifier, CallerConfig config) {
    this.verifier = verifier;
    this.verified =
        config.verifiedTokenCacheTtl().isZero()
            ? null
            : Caffeine.newBuilder()
                .maximumSize(config.verifiedTokenCacheMaxEntries())
                .expireAfterWrite(config.verifiedTokenCacheTtl())
                .build();
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    if (verified == null || token == null || token.length() > MAX_REMEMBERED_CHARS) {
      return verifier.parse(token);
    }
    Digest key = digest(token);
    JsonWebToken known = verified.getIfPresent(key);
    long nowSeconds = System.currentTimeMillis() / 1000;
    if (known != null && known.getExpirationTime() > nowSeconds) {
      return known;
    }
    JsonWebToken fresh = verifier.parse(token);
    if (fresh.getExpirationTime() > nowSeconds) {
      verified.put(key, fresh);
    }
    return fresh;
  }

  /** How many verified tokens are remembered now; for tests of the bound. */
  long rememberedCount() {
    if (verified == null) {
      return 0;
    }
    verified.cleanUp();
    return verified.estimatedSize();
  }

  /** Whether {@code token} is remembered now; for tests. */
  boolean isRemembered(String token) {
    return verified != null && verified.getIfPresent(digest(token)) != null;
  }

  private static Digest digest(String token) {
    // Every char counts, as UTF-8: dropping high bits would let a forged token share a key.
    ByteBuffer hash = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  @Override
  public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
    return verifier.parse(token, context);
  }

  @Override
  public JsonWebToken verify(String token, PublicKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, SecretKey key) throws ParseException {
    return verifier.verify(token, key);
  }

  @Override
  public JsonWebToken verify(String token, String secret) throws ParseException {
    return verifier.verify(token, secret);
  }

  @Override
  public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
    return verifier.decrypt(token, key);
  }

  @Override
  public JsonWebToken decrypt(String token, String secret) throws ParseException {
    return verifier.decrypt(token, secret);
  }

  @Override
  public JsonWebToken parseOnly(String token) throws ParseException {
    return verifier.parseOnly(token);
  }
}
