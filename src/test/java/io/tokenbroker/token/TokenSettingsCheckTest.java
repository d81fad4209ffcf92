package io.tokenbroker.token;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenSettingsCheckTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void defaultsPass() {
    assertThatCode(
            () ->
                TokenSettingsCheck.check(
                    Duration.ofSeconds(60),
                    Duration.ofHours(24),
                    Duration.ofMinutes(5),
                    10_000,
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(10)))
        .doesNotThrowAnyException();
  }

  @Test
  void defaultMinTtlAboveTheLargestAllowedFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                TokenSettingsCheck.check(
                    Duration.ofHours(2), Duration.ofHours(1), MINUTE, 10, MINUTE, MINUTE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.token.default-min-ttl:");
  }

  @Test
  void maxMinTtlBeyondThirtyDaysFailsNamingTheKey() {
    assertThatThrownBy(
            () -> TokenSettingsCheck.check(MINUTE, Duration.ofDays(31), MINUTE, 10, MINUTE, MINUTE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.token.max-min-ttl:");
  }

  @Test
  void emptyCacheFailsNamingTheKey() {
    assertThatThrownBy(
            () -> TokenSettingsCheck.check(MINUTE, Duration.ofHours(1), MINUTE, 0, MINUTE, MINUTE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("broker.token.cache-max-entries:");
  }
}
