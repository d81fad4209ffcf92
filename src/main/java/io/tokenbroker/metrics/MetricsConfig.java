package io.tokenbroker.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Metrics: {@code broker.metrics.*}. */
@ConfigMapping(prefix = "broker.metrics")
public interface MetricsConfig {

  /**
   * How often the connection census (the gauges of connections by status, soonest expiries and
   * latest refresh) queries the database. Default 15 seconds.
   */
  @WithDefault("15s")
  String censusInterval();
}
