package io.tokenbroker.support.upstream;

import java.time.Duration;

/**
 * How the stand-in is slow on purpose (slow mode, delayed faults). This is the simulated upstream
 * taking its time, not a test synchronising by sleeping; bounded so a forgotten latch cannot hang a
 * build.
 */
final class Pacing {

  static final Duration MAX_HOLD = Duration.ofMinutes(2);

  private Pacing() {}

  static void pause(Duration duration) throws InterruptedException {
    if (!duration.isZero() && !duration.isNegative()) {
      Thread.sleep(Math.min(duration.toMillis(), MAX_HOLD.toMillis()));
    }
  }
}
