package io.tokenbroker.refresh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Refreshing and rotating stored grants: {@code broker.refresh.*}. */
@ConfigMapping(prefix = "broker.refresh")
public interface RefreshConfig {

  /**
   * How long a replica holds a connection's refresh lease. Must exceed the upstream connect plus
   * read timeout, so a live refresh never loses its lease. Default 30 seconds.
   */
  @WithDefault("PT30S")
  Duration leaseTtl();

  /** First retry delay after a transient refresh failure; doubles per failure. Default 30 s. */
  @WithDefault("PT30S")
  Duration backoffBase();

  /** Longest retry delay after transient failures. Default 30 minutes. */
  @WithDefault("PT30M")
  Duration backoffMax();

  /** Upper bound of refresh attempts per connection per hour. Default 12. */
  @WithDefault("12")
  int maxAttemptsPerHour();

  /**
   * How long an on-demand request waits for another replica's refresh of the same connection before
   * it answers with what it has. Default 15 seconds.
   */
  @WithDefault("PT15S")
  Duration leaseWait();

  /** Lease owner name of this replica; default the host name plus a random suffix. */
  Optional<String> ownerId();
}
