package io.tokenbroker.support;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for an effect the test cannot be told about (a count in another component), checking often
 * and failing at a deadline: never a fixed pause that merely hopes the effect happened.
 */
public final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(5);

  private Poll() {}

  public static void until(String what, Duration timeout, BooleanSupplier done) {
    Instant deadline = Instant.now().plus(timeout);
    while (!done.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(INTERVAL.toNanos());
    }
  }
}
