package io.tokenbroker.crypto;

import io.tokenbroker.health.ReadinessProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

/**
 * Readiness check {@code vault}. It is DOWN only when the broker cannot serve stored tokens at all
 * (no data key in memory). When Vault becomes unreachable after the keys were unwrapped it stays UP
 * and says so in its data ({@code reachable: false}): stored tokens still decrypt, and taking every
 * replica out of service because Vault blinked would turn a partial outage into a full one. Its
 * data names no key, path or Vault message: those are logged. Runs in the background
 * (health.BackgroundChecks), so a hung Vault never delays a probe request.
 */
@ApplicationScoped
class VaultReadinessProbe implements ReadinessProbe {

  private final CryptoMode mode;
  private final KeyRing keys;
  private static final Logger LOG = Logger.getLogger(VaultReadinessProbe.class);

  private final VaultGateway vault;
  private final AtomicReference<String> lastProblem = new AtomicReference<>();

  VaultReadinessProbe(CryptoMode mode, KeyRing keys, VaultGateway vault) {
    this.mode = mode;
    this.keys = keys;
    this.vault = vault;
  }

  @Override
  public String name() {
    return "vault";
  }

  @Override
  public HealthCheckResponse check() {
    if (!mode.vault() || !(keys instanceof VaultKeyRing ring)) {
      return notConfigured();
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
    return answer(ring, problem);
  }

  @Override
  public HealthCheckResponse unanswered(String problem) {
    if (!mode.vault() || !(keys instanceof VaultKeyRing ring)) {
      return notConfigured();
    }
    return answer(ring, problem);
  }

  private static HealthCheckResponse notConfigured() {
    return HealthCheckResponse.named("vault")
        .up()
        .withData("mode", "not configured (embedded default)")
        .build();
  }

  private HealthCheckResponse answer(VaultKeyRing ring, String problem) {
    logIfNew(problem);
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("vault")
            .withData("reachable", problem == null)
            .withData("keys_in_memory", ring.keysInMemory());
    if (problem != null) {
      response.withData("problem", "Vault did not answer as expected; the details are logged");
    }
    return response.status(ring.currentKeyId().isPresent()).build();
  }

  /**
   * The details (Vault's error text, paths, key names) go to the log, not to {@code /q/health},
   * which anyone who reaches the port can read; once per change, as probes come every few seconds.
   */
  private void logIfNew(String problem) {
    String previous = lastProblem.getAndSet(problem);
    if (problem != null && !problem.equals(previous)) {
      LOG.warnf("readiness: Vault problem: %s", problem);
    } else if (problem == null && previous != null) {
      LOG.info("readiness: Vault answers again");
    }
  }
}
