package io.tokenbroker.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code vault}. It is DOWN only when the broker cannot serve stored tokens at all
 * (no data key in memory). When Vault becomes unreachable after the keys were unwrapped it stays UP
 * and says so in its data ({@code reachable: false}): stored tokens still decrypt, and taking every
 * replica out of service because Vault blinked would turn a partial outage into a full one.
 */
@Readiness
@ApplicationScoped
class VaultReadinessCheck implements HealthCheck {

  private final CryptoMode mode;
  private final KeyRing keys;
  private final VaultGateway vault;

  VaultReadinessCheck(CryptoMode mode, KeyRing keys, VaultGateway vault) {
    this.mode = mode;
    this.keys = keys;
    this.vault = vault;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("vault");
    if (!mode.vault() || !(keys instanceof VaultKeyRing ring)) {
      return response.up().withData("mode", "not configured (embedded default)").build();
    }
    String problem = null;
    try {
      vault.probe();
      if (ring.currentKeyId().isEmpty()) {
        ring.refresh();
      }
    } catch (RuntimeException e) {
      problem =
          vault
              .lastOutcome()
              .filter(outcome -> !outcome.reachable())
              .map(VaultGateway.Outcome::problem)
              .orElse(e.getMessage());
    }
    response
        .withData("reachable", problem == null)
        .withData("keys_in_memory", ring.keysInMemory())
        .withData("transit_key", vault.transitName());
    ring.currentKeyId().ifPresent(id -> response.withData("current_key", id));
    if (problem != null) {
      response.withData("problem", problem);
    }
    return response.status(ring.currentKeyId().isPresent()).build();
  }
}
