package io.tokenbroker.token;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Checks {@code broker.token.*} at startup. Without it, a default minimum lifetime above the
 * largest one a caller may ask for, or a zero cache size, would only show as failing token
 * requests.
 */
@Startup
@ApplicationScoped
class TokenSettingsCheck {

  /** The largest {@code min_ttl_seconds} the API describes (30 days, Pinterest's token life). */
  static final Duration CEILING = Duration.ofDays(30);

  TokenSettingsCheck(TokenConfig config) {
    check(
        config.defaultMinTtl(),
        config.maxMinTtl(),
        config.cacheTtl(),
        config.cacheMaxEntries(),
        config.changeOverlap(),
        config.cacheStaleIfError());
  }

  static void check(
      Duration defaultMinTtl,
      Duration maxMinTtl,
      Duration cacheTtl,
      long cacheMaxEntries,
      Duration changeOverlap,
      Duration staleIfError) {
    if (maxMinTtl.isNegative() || maxMinTtl.isZero() || maxMinTtl.compareTo(CEILING) > 0) {
      throw new ConfigurationException(
          "broker.token.max-min-ttl: " + maxMinTtl + " must be positive and at most " + CEILING);
    }
    if (defaultMinTtl.isNegative() || defaultMinTtl.compareTo(maxMinTtl) > 0) {
      throw new ConfigurationException(
          "broker.token.default-min-ttl: "
              + defaultMinTtl
              + " must be between 0 and broker.token.max-min-ttl ("
              + maxMinTtl
              + ")");
    }
    if (cacheTtl.isNegative() || cacheTtl.isZero()) {
      throw new ConfigurationException("broker.token.cache-ttl: " + cacheTtl + " must be positive");
    }
    if (cacheMaxEntries < 1) {
      throw new ConfigurationException(
          "broker.token.cache-max-entries: " + cacheMaxEntries + " must be at least 1");
    }
    if (changeOverlap.isNegative()) {
      throw new ConfigurationException(
          "broker.token.change-overlap: " + changeOverlap + " must not be negative");
    }
    if (staleIfError.isNegative()) {
      throw new ConfigurationException(
          "broker.token.cache-stale-if-error: " + staleIfError + " must not be negative");
    }
  }
}
