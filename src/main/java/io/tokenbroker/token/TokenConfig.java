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
   * How long a connection's metadata and sealed token are served from the in-process cache before
   * the row is read again. Changes reach the cache sooner, through the change feed ({@link
   * #changePollInterval()}); this bounds what the feed could miss (a row changed without a new
   * {@code updated_at}, a poll that failed). Default 5 minutes.
   */
  @WithDefault("PT5M")
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

  /**
   * How often this replica asks the database which connections changed, to drop their cached
   * copies: a caller removed or a connection deleted or refreshed on another replica is seen here
   * within about this long. One indexed query per interval. Default 1 second.
   */
  @WithDefault("1s")
  String changePollInterval();

  /**
   * How far back each change poll looks beyond the previous one. Must exceed the clock skew between
   * replicas plus the longest write transaction on a connection, since a row's change time is taken
   * by the writer's clock before its commit. Default 10 seconds.
   */
  @WithDefault("PT10S")
  Duration changeOverlap();
}
