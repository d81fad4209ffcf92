package io.tokenbroker.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code serving}: UP until this replica is told to stop taking traffic ({@link
 * ReadinessState#stopServing(String)}), DOWN with the reason after that.
 */
@Readiness
@ApplicationScoped
class ServingCheck implements HealthCheck {

  private final ReadinessState state;

  ServingCheck(ReadinessState state) {
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    return state
        .stoppedBecause()
        .map(reason -> HealthCheckResponse.named("serving").down().withData("reason", reason))
        .orElseGet(() -> HealthCheckResponse.named("serving").up())
        .build();
  }
}
