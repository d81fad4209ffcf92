package io.tokenbroker.refresh;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Checks {@code broker.refresh.*} at startup. The lease must outlast the longest attempt it guards
 * ({@link AttemptBound}): a lease that expires while its holder still waits for the token endpoint
 * lets another replica refresh the same connection, and the two spend the same refresh token.
 */
@Startup
@ApplicationScoped
class RefreshSettingsCheck {

  RefreshSettingsCheck(RefreshConfig config, AttemptBound attempt) {
    checkLease(config.leaseTtl(), attempt);
    positive("broker.refresh.lease-wait", config.leaseWait());
    positive("broker.refresh.backoff-base", config.backoffBase());
    if (config.backoffMax().compareTo(config.backoffBase()) < 0) {
      throw new ConfigurationException(
          "broker.refresh.backoff-max: "
              + config.backoffMax()
              + " must not be below broker.refresh.backoff-base ("
              + config.backoffBase()
              + ")");
    }
    atLeastOne("broker.refresh.max-attempts-per-hour", config.maxAttemptsPerHour());
    atLeastOne("broker.refresh.concurrency-per-provider", config.concurrencyPerProvider());
    atLeastOne("broker.refresh.batch-size", config.batchSize());
  }

  static void checkLease(Duration leaseTtl, AttemptBound attempt) {
    if (leaseTtl.compareTo(attempt.worst()) <= 0) {
      throw new ConfigurationException(
          "broker.refresh.lease-ttl: "
              + leaseTtl
              + " must exceed the longest refresh attempt, "
              + attempt.worst()
              + " ("
              + attempt.breakdown()
              + "); raise broker.refresh.lease-ttl or lower those timeouts");
    }
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException(key + ": " + value + " must be positive");
    }
  }

  private static void atLeastOne(String key, int value) {
    if (value < 1) {
      throw new ConfigurationException(key + ": " + value + " must be at least 1");
    }
  }
}
