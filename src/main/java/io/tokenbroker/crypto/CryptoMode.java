package io.tokenbroker.crypto;

import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether Vault is configured. The mode is read once: {@code quarkus.vault.url} set means Vault
 * holds the secrets and wraps the keys; unset is the embedded default, which must start and run
 * without any Vault.
 */
@Singleton
class CryptoMode {

  private final boolean vault;

  CryptoMode(@ConfigProperty(name = "quarkus.vault.url") Optional<String> vaultUrl) {
    this.vault = vaultUrl.filter(u -> !u.isBlank()).isPresent();
  }

  boolean vault() {
    return vault;
  }
}
