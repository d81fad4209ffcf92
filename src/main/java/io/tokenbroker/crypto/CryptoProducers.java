package io.tokenbroker.crypto;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Chooses, once at startup, where keys and secrets come from: Vault when {@code quarkus.vault.url}
 * is set, otherwise the local key file and configuration (the embedded default).
 */
@ApplicationScoped
class CryptoProducers {

  private static final Logger LOG = Logger.getLogger(CryptoProducers.class);

  @Produces
  @Singleton
  KeyRing keyRing(CryptoConfig config) {
    return new LocalKeyRing(config.localKeyFile());
  }

  @Produces
  @Singleton
  TokenCipher tokenCipher(KeyRing keys) {
    return new EnvelopeTokenCipher(keys);
  }

  @Produces
  @Singleton
  SecretStore secretStore() {
    return new ConfigSecretStore();
  }

  /** Loads (or on first start creates) the keys now, so that a broken key file fails startup. */
  void onStart(@Observes StartupEvent event, KeyRing keys, CryptoConfig config) {
    LOG.infof(
        "Stored tokens are encrypted with data key %s from the local key file %s",
        keys.current().id(), config.localKeyFile());
  }
}
