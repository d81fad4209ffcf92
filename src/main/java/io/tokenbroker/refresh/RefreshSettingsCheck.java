package io.tokenbroker.refresh;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.provider.Provider;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Checks {@code broker.refresh.*} at startup. The lease must outlast the slowest upstream call it
 * guards: a lease that expires while its holder still waits for the token endpoint lets another
 * replica refresh the same connection, and the two spend the same refresh token.
 */
@Startup
@ApplicationScoped
class RefreshSettingsCheck {

  RefreshSettingsCheck(RefreshConfig config, ProviderCatalog providers) {
    for (Provider provider : providers.all()) {
      checkLease(
          config.leaseTtl(), provider.id(), provider.connectTimeout().plus(provider.readTimeout()));
    }
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

  static void checkLease(Duration leaseTtl, String providerId, Duration upstream) {
    if (leaseTtl.compareTo(upstream) <= 0) {
      throw new ConfigurationException(
          "broker.refresh.lease-ttl: "
              + leaseTtl
              + " must exceed broker.providers."
              + providerId
              + ".connect-timeout + read-timeout ("
              + upstream
              + ")");
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
