package io.tokenbroker.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retry delays after transient refresh failures, with the production defaults. */
class BackoffTest {

  private static final Duration BASE = Duration.ofSeconds(30);
  private static final Duration MAX = Duration.ofMinutes(30);
  private static final int NO_CAP = 0;

  private static Duration after(int failures, int maxPerHour, Optional<Duration> retryAfter) {
    return Backoff.after(failures, BASE, MAX, maxPerHour, retryAfter);
  }

  @Test
  void delayDoublesPerFailureWithJitterInTheUpperHalfUpToTheMaximum() {
    for (int failures = 1; failures <= 12; failures++) {
      long ceiling = Math.min(BASE.toMillis() << (failures - 1), MAX.toMillis());
      for (int draw = 0; draw < 200; draw++) {
        assertThat(after(failures, NO_CAP, Optional.empty()).toMillis())
            .as("failure %d", failures)
            .isBetween(ceiling / 2, ceiling);
      }
    }
  }

  @Test
  void manyFailuresNeitherOverflowNorExceedTheMaximum() {
    assertThat(after(Integer.MAX_VALUE, NO_CAP, Optional.empty())).isLessThanOrEqualTo(MAX);
    assertThat(after(0, NO_CAP, Optional.empty())).isLessThanOrEqualTo(BASE);
  }

  @Test
  void attemptsPerHourCapIsAFloorUnderEveryDelay() {
    Duration floor = Duration.ofMinutes(5);
    for (int failures = 1; failures <= 12; failures++) {
      assertThat(after(failures, 12, Optional.empty())).isGreaterThanOrEqualTo(floor);
    }
  }

  @Test
  void retryAfterIsHonouredEvenBeyondTheMaximumAndTheCap() {
    assertThat(after(1, 12, Optional.of(Duration.ofSeconds(120))))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(120));
    assertThat(after(1, 12, Optional.of(Duration.ofHours(2)))).isEqualTo(Duration.ofHours(2));
  }
}
