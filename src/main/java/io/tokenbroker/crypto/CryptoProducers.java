package io.tokenbroker.crypto;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
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
  KeyRing keyRing(
      CryptoMode mode,
      CryptoConfig config,
      DataKeyTable table,
      VaultGateway vault,
      DataSource dataSource) {
    if (mode.vault()) {
      return new VaultKeyRing(table, vault);
    }
    LocalKeyRegistry registry = new LocalKeyRegistry(dataSource, config.localKeyFile());
    LocalKeyRing ring = new LocalKeyRing(config.localKeyFile(), registry::record);
    registry.verifyAndRecord(ring.all());
    return ring;
  }

  @Produces
  @Singleton
  TokenCipher tokenCipher(KeyRing keys) {
    return new EnvelopeTokenCipher(keys);
  }

  @Produces
  @Singleton
  SecretStore secretStore(
      CryptoMode mode, CryptoConfig config, VaultGateway vault, ConfigSecretStore fromConfig) {
    return mode.vault() ? new VaultSecretStore(vault, config.secrets()) : fromConfig;
  }

  /**
   * Loads the keys now rather than on the first token stored: a broken key file, or one that lacks
   * keys other replicas on the same database seal with ({@link LocalKeyRegistry}), fails startup,
   * and in Vault mode the keys are unwrapped before traffic arrives. Vault being down at startup
   * does not stop the broker; readiness reports it and the keys are loaded when Vault answers.
   */
  void onStart(@Observes StartupEvent event, CryptoMode mode, KeyRing keys, CryptoConfig config) {
    if (!mode.vault()) {
      LOG.infof(
          "Stored tokens are encrypted with data key %s from the local key file %s",
          keys.current().id(), config.localKeyFile());
      return;
    }
    try {
      keys.refresh();
      LOG.infof(
          "Stored tokens are encrypted with data key %s, wrapped by Vault Transit",
          keys.current().id());
    } catch (VaultUnavailableException e) {
      LOG.warnf(
          "Vault is unavailable at startup (%s); stored tokens cannot be read or written until it"
              + " answers",
          e.getMessage());
    }
  }
}
