package io.tokenbroker.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * One provider's figures from a census of the connection table: connections by status name, and the
 * soonest expiries and latest refresh of its servable connections (null when none has one).
 */
public record ConnectionFigures(
    Map<String, Long> counts,
    Instant soonestAccess,
    Instant soonestRefresh,
    Instant lastRefreshed) {

  public ConnectionFigures {
    counts = Map.copyOf(counts);
  }

  long count(String status) {
    return counts.getOrDefault(status, 0L);
  }
}
