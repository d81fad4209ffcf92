package io.tokenbroker.refresh;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (delay drawn from [base*2^(n-1)/2, base*2^(n-1)]), capped,
 * never shorter than the upstream's Retry-After, and never shorter than the per-hour attempt cap
 * allows.
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
