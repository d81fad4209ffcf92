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
import java.security.PrivateKey;
import java.security.PublicKey;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * SmallRye JWT's parser, remembering tokens that passed verification. Services reuse one caller
 * token for many requests, and verifying it (JSON parsing plus an RSA or ECDSA signature check) was
 * the largest single cost of a token fetch. Only successes are remembered, keyed by the token's
 * SHA-256 (the token itself is not kept as a key), and only until the earlier of the token's {@code
 * exp} and {@code broker.callers.verified-token-cache-ttl}; a token that fails is verified again
 * every time.
 */
@Alternative
@Priority(1)
@ApplicationScoped
class RememberingCallerTokenParser implements JWTParser {

  private final DefaultJWTParser verifier;
  private final Cache<String, JsonWebToken> verified;

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
    if (verified == null) {
      return verifier.parse(token);
    }
    JsonWebToken known = verified.getIfPresent(token);
    long nowSeconds = System.currentTimeMillis() / 1000;
    if (known != null && known.getExpirationTime() > nowSeconds) {
      return known;
    }
    JsonWebToken fresh = verifier.parse(token);
    if (fresh.getExpirationTime() > nowSeconds) {
      verified.put(token, fresh);
    }
    return fresh;
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
