package io.tokenbroker.refresh;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the delay is drawn uniformly from [ceiling/2, ceiling],
 * where the ceiling is base*2^(n-1) capped at {@code max}. Half the delay is fixed so that a retry
 * never comes almost at once (full jitter would draw from [0, ceiling]); the random half spreads
 * replicas apart. Never shorter than the upstream's Retry-After, and never shorter than the
 * per-hour attempt cap allows.
 */
final class Backoff {

  private Backoff() {}

  static Duration after(
      int failures, Duration base, Duration max, int maxPerHour, Optional<Duration> retryAfter) {
    long ceiling = base.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
    ceiling = Math.min(ceiling, max.toMillis());
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    long floorForCap = maxPerHour > 0 ? Duration.ofHours(1).toMillis() / maxPerHour : 0;
    delay = Math.max(delay, floorForCap);
    if (retryAfter.isPresent()) {
      delay = Math.max(delay, retryAfter.get().toMillis());
    }
    return Duration.ofMillis(delay);
  }
}
