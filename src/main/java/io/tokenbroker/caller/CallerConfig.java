package io.tokenbroker.caller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Who callers are and what they may do beyond their roles. How caller JWTs are verified (issuer,
 * audience, keys, algorithms, clock skew) is configured with SmallRye JWT's own {@code mp.jwt.*}
 * keys; see README.
 */
@ConfigMapping(prefix = "broker.callers")
public interface CallerConfig {

  /**
   * The JWT claim whose string value names the caller, the name that connections list as an allowed
   * caller. A token without it is refused with 401. Default {@code sub}.
   */
  @WithDefault("sub")
  String nameClaim();

  /**
   * Per provider id, the callers that may fetch the provider's client-credentials (app) token, e.g.
   * {@code broker.callers.client-credentials."pinterest"=svc-a,svc-b}. They also need the {@code
   * token-consumer} role. Default: nobody, for every provider.
   */
  Map<String, Set<String>> clientCredentials();

  /**
   * Embedded default only: the directory of the broker's own caller-token key pair ({@code
   * caller-jwt-private.pem}, {@code caller-jwt-public.pem}), created owner-only on first start.
   * Unused when a caller key is configured or the datasource is not embedded. Default {@code
   * ./data/keys}.
   */
  @WithDefault("./data/keys")
  Path embeddedKeyDirectory();

  /**
   * How long a caller JWT that passed verification is remembered (keyed by its SHA-256), so that a
   * caller reusing its token is not verified again (signature and claims) on every request. An
   * entry never outlives the token's own {@code exp}. The cost: a verification key removed from the
   * issuer's key set keeps accepting the tokens it signed until the broker refetches the key set
   * ({@code smallrye.jwt.jwks.refresh-interval}, 5 minutes here, or the JWKS answer's {@code
   * Cache-Control: max-age}), and tokens already remembered for up to this TTL beyond that. Zero
   * turns the memory off. Default 60 seconds.
   */
  @WithDefault("PT60S")
  Duration verifiedTokenCacheTtl();

  /**
   * Most verified caller JWTs remembered at once; tokens over 4096 characters are never remembered.
   * Default 10000 (well under 200 MiB in the worst case, about 30 MiB with typical 1 KiB tokens).
   */
  @WithDefault("10000")
  long verifiedTokenCacheMaxEntries();
}
