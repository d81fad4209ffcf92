package io.tokenbroker.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/**
 * Encryption at rest and the secret store. Vault itself (address, authentication, TLS) is
 * configured with the standard {@code quarkus.vault.*} keys; setting {@code quarkus.vault.url}
 * switches the broker from the local key file and configured secrets to Vault.
 */
@ConfigMapping(prefix = "broker.crypto")
public interface CryptoConfig {

  /**
   * Where the embedded default keeps its data keys; created owner-only on first start. Default
   * {@code ./data/keys/token-broker.keys}. Unused when Vault is configured.
   */
  @WithDefault("./data/keys/token-broker.keys")
  Path localKeyFile();
}
