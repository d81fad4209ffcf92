package io.tokenbroker.health;

import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * One dependency that readiness reports on. {@link BackgroundChecks} calls {@link #check()} off the
 * request path, one call at a time per probe, and serves the latest answer; implementations are CDI
 * beans of their domain package.
 */
public interface ReadinessProbe {

  /** The check's name in {@code /q/health/ready} ({@code database}, {@code vault}). */
  String name();

  /** Asks the dependency; may block for as long as the dependency does. */
  HealthCheckResponse check();

  /**
   * What to report while no answer is available (before the first check, or while one hangs), built
   * from memory only: it must not block.
   *
   * @param problem why there is no answer, e.g. "no answer for 4 s"
   */
  HealthCheckResponse unanswered(String problem);
}
