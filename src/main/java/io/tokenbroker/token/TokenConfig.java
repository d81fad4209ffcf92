package io.tokenbroker.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Handing tokens to callers: {@code broker.token.*}. */
@ConfigMapping(prefix = "broker.token")
public interface TokenConfig {

  /** Minimum remaining lifetime of a served token when the caller asks for none. Default 60 s. */
  @WithDefault("PT60S")
  Duration defaultMinTtl();

  /**
   * Longest {@code min_ttl_seconds} a caller may ask for. Default 1 day: asking for more would
   * force a refresh on every request for 30-day tokens near their end.
   */
  @WithDefault("PT24H")
  Duration maxMinTtl();

  /**
   * How long a connection's metadata and sealed token stay in the in-process cache before the next
   * request reads the database again. Bounds how long another replica's change (callers, deletion)
   * takes to be seen here. Default 10 seconds.
   */
  @WithDefault("PT10S")
  Duration cacheTtl();

  /**
   * How long a cached connection is still served after its TTL when the database cannot be read
   * (stopped, restarting, failing over): callers keep their still-valid tokens through a database
   * outage of up to this length. Only while reads fail; a database that answers is always asked
   * after the TTL. Zero turns this off. Default 10 minutes.
   */
  @WithDefault("PT10M")
  Duration cacheStaleIfError();

  /** Most connections held in the in-process cache. Default 10000. */
  @WithDefault("10000")
  long cacheMaxEntries();
}
