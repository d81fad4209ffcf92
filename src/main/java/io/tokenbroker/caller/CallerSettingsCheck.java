package io.tokenbroker.caller;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.tokenbroker.provider.ProviderCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Checks {@code broker.callers.*} at startup: a blank name claim would refuse every caller with
 * 401; callers listed for a provider that is not configured can never fetch its token, which is
 * worth a warning (not a failure: the provider may be switched off on purpose).
 */
@Startup
@ApplicationScoped
class CallerSettingsCheck {

  private static final Logger LOG = Logger.getLogger(CallerSettingsCheck.class);

  CallerSettingsCheck(CallerConfig config, ProviderCatalog providers) {
    requireNameClaim(config.nameClaim());
    config
        .clientCredentials()
        .keySet()
        .forEach(
            provider -> {
              if (providers.find(provider).isEmpty()) {
                LOG.warnf(
                    "broker.callers.client-credentials.\"%s\": no provider '%s' is configured;"
                        + " the callers listed there cannot fetch its token",
                    provider, provider);
              }
            });
  }

  static void requireNameClaim(String claim) {
    if (claim == null || claim.isBlank()) {
      throw new ConfigurationException("broker.callers.name-claim must name a JWT claim");
    }
  }
}
