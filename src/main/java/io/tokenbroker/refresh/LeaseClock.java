package io.tokenbroker.refresh;

import java.time.Duration;

/**
 * Lease time in SQL and on this process's clock. A lease's expiry is written as {@code now() + ttl}
 * in the database's time and compared with {@code now()} there, so every replica judges it by the
 * same clock; this replica only tracks how much of its own lease is left, on the monotonic clock,
 * from a moment before the database's {@code now()}.
 */
final class LeaseClock {

  /** The expiry a lease gets: {@code :ttlSeconds} is bound with {@link #seconds}. */
  static final String EXPIRY = "now() + make_interval(secs => :ttlSeconds)";

  /** True for a lease that has run out, by the database's clock. */
  static final String RUN_OUT = "lease_expires_at < now()";

  private LeaseClock() {}

  static double seconds(Duration ttl) {
    return ttl.toNanos() / 1e9;
  }

  /** Marks the start of a statement that takes leases of {@code ttl}. */
  static Taken starting(Duration ttl) {
    return new Taken(System.nanoTime() + ttl.toNanos());
  }

  /** When a lease taken by that statement runs out, on this process's monotonic clock. */
  record Taken(long deadlineNanos) {}
}
