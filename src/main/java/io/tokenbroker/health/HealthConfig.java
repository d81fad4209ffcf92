package io.tokenbroker.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How readiness is kept current: {@code broker.health.*}. */
@ConfigMapping(prefix = "broker.health")
public interface HealthConfig {

  /**
   * Pause between the end of one background check of a dependency (database, Vault) and the start
   * of the next. Readiness answers from the latest result, so this bounds how stale it may be.
   * Default 5 seconds.
   */
  @WithDefault("PT5S")
  Duration checkInterval();

  /**
   * How long a running check may go without an answer before readiness reports the dependency
   * unreachable ({@code reachable: false}, "no answer for ..."), while the check keeps waiting. A
   * hung dependency is then visible within this long, yet no probe request ever waits on it.
   * Default 3 seconds.
   */
  @WithDefault("PT3S")
  Duration answerTimeout();
}
