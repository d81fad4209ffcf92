package io.tokenbroker.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The API proxy, {@code broker.proxy.*}. Which providers have a proxy, and what it may call, is
 * provider configuration ({@code broker.providers.<id>.api-base-url}, {@code proxy-allow}, {@code
 * issue-access-tokens}).
 */
@ConfigMapping(prefix = "broker.proxy")
public interface ProxyConfig {

  /**
   * Largest request body forwarded; a larger one is refused with 413 (before the upstream call when
   * Content-Length declares it, else by cutting the upstream request). Default 16M.
   */
  @WithDefault("16M")
  MemorySize maxBodySize();

  /**
   * Request bodies up to this size are kept while they stream, so that a request the provider
   * refused with 401 can be sent again after a refresh; a larger body is not replayed and the 401
   * is passed on (the token is still refreshed for the next call). Default 64K.
   */
  @WithDefault("64K")
  MemorySize retryBodySize();

  /** TCP connect timeout of proxied calls; a timeout answers 504. Default 2 seconds. */
  @WithDefault("2s")
  Duration connectTimeout();

  /**
   * Longest wait for the provider's answer, and then for each further piece of it; a timeout
   * answers 504 (or cuts a response already under way). Default 30 seconds.
   */
  @WithDefault("30s")
  Duration readTimeout();

  /** Pooled connections per provider; requests beyond wait for a free one. Default 64. */
  @WithDefault("64")
  int maxConnections();
}
